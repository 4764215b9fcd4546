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
