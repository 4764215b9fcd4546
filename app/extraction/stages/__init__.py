"""The extraction stages, one module each, in pipeline order (app/extraction/pipeline.py
states the order): cues, speakers, reported clauses (attribution), direct quotes, and the
assembly of the Extraction. Each stage's builder class extends the one before it."""
