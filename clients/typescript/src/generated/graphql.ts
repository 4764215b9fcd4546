/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** How a quote reproduces what was said. */
export type QuoteKind =
  /** Verbatim, inside quotation marks. */
  | 'DIRECT'
  /** Reported speech, paraphrased without quotation marks. */
  | 'INDIRECT'
  /** Reported speech that quotes some words verbatim. */
  | 'MIXED';

/** What sort of speaker this is. */
export type SpeakerKind =
  /** A body speaking as one: a ministry, company, party, agency. */
  | 'ORGANISATION'
  /** A named person. */
  | 'PERSON'
  /** Not determined. */
  | 'UNKNOWN';

export type SpeakerSearchQueryVariables = Exact<{
  search: string;
  first?: number | null | undefined;
}>;


export type SpeakerSearchQuery = { speakers: { nodes: Array<{ id: string, name: string, kind: SpeakerKind, role: string | null, quoteCount: number }> } };

export type LatestQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type LatestQuery = { quotes: { nodes: Array<{ id: string, text: string, kind: QuoteKind, date: string, confidence: number, speaker: { id: string, name: string } | null, article: { id: string, title: string | null, source: string | null } }> }, articles: { nodes: Array<{ id: string, title: string | null, source: string | null, publishedAt: string | null, ingestedAt: string }> } };

export type SpeakerPageQueryVariables = Exact<{
  id: string;
  kind?: QuoteKind | null | undefined;
  since?: string | null | undefined;
  until?: string | null | undefined;
  first?: number | null | undefined;
  filtered?: boolean | null | undefined;
}>;


export type SpeakerPageQuery = { speaker: { id: string, name: string, kind: SpeakerKind, role: string | null, aliases: Array<string>, quoteCount: number, coQuoted: Array<{ articles: number, speaker: { id: string, name: string } }>, recent: { totalCount?: number, nodes: Array<{ date: string, role: string | null }> }, quotes: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, text: string, kind: QuoteKind, date: string, confidence: number, article: { id: string, title: string | null, source: string | null } }> } } };

export type SpeakerTimelineQueryVariables = Exact<{
  id: string;
  since?: string | null | undefined;
  until?: string | null | undefined;
}>;


export type SpeakerTimelineQuery = { timeline: Array<{ start: string, quotes: number }> };

export type SpeakerQuotesQueryVariables = Exact<{
  id: string;
  after: string;
  kind?: QuoteKind | null | undefined;
  since?: string | null | undefined;
  until?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type SpeakerQuotesQuery = { quotes: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, text: string, kind: QuoteKind, date: string, confidence: number, article: { id: string, title: string | null, source: string | null } }> } };

export type QuotePageQueryVariables = Exact<{
  id: string;
}>;


export type QuotePageQuery = { node:
    | { __typename: 'Article' }
    | { __typename: 'Claim' }
    | { __typename: 'ClaimReview' }
    | { __typename: 'Quotation' }
    | { __typename: 'Quote', id: string, text: string, kind: QuoteKind, cue: string | null, cueStart: number | null, cueEnd: number | null, start: number, end: number, speakerMention: string | null, speakerStart: number | null, speakerEnd: number | null, role: string | null, confidence: number, date: string, fragments: Array<{ text: string, start: number, end: number }>, speaker: { id: string, name: string, role: string | null } | null, article: { id: string, title: string | null, source: string | null, url: string | null, publishedAt: string | null, byline: string | null, text: string }, claims: Array<{ id: string, text: string, start: number, end: number, score: number, reviews: Array<{ rating: string, reviewer: string, url: string | null, datePublished: string | null }> }> }
    | { __typename: 'Speaker' }
   | null };

export type ArticlePageQueryVariables = Exact<{
  id: string;
}>;


export type ArticlePageQuery = { article: { id: string, title: string | null, source: string | null, url: string | null, publishedAt: string | null, ingestedAt: string, dateline: string | null, byline: string | null, speakers: Array<{ id: string, name: string, kind: SpeakerKind, role: string | null }>, quotes: Array<{ id: string, text: string, kind: QuoteKind, cue: string | null, confidence: number, speaker: { id: string, name: string } | null }>, claims: Array<{ id: string, text: string, score: number, claimant: { id: string, name: string } | null, quote: { id: string } | null, reviews: Array<{ rating: string, reviewer: string, url: string | null }> }> } };

export type QuoteAddedSubscriptionVariables = Exact<{
  speakerId: string;
}>;


export type QuoteAddedSubscription = { quoteAdded: { id: string, text: string, kind: QuoteKind, date: string, confidence: number, article: { id: string, title: string | null, source: string | null } } };

export type ExampleQuotesBySpeakerQueryVariables = Exact<{
  speaker: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ExampleQuotesBySpeakerQuery = { quotes: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, text: string, kind: QuoteKind, date: string, confidence: number, speaker: { id: string, name: string } | null, article: { id: string, title: string | null } } }> } };

export type ExampleQuoteAddedSubscriptionVariables = Exact<{
  speaker?: string | null | undefined;
  speakerId?: string | null | undefined;
}>;


export type ExampleQuoteAddedSubscription = { quoteAdded: { id: string, text: string, kind: QuoteKind, date: string, confidence: number, speaker: { id: string, name: string } | null, article: { id: string, title: string | null } } };

export type ExampleQuoteFragment = { id: string, text: string, kind: QuoteKind, date: string, confidence: number, speaker: { id: string, name: string } | null, article: { id: string, title: string | null } };
