package dev.kubelogs.job.metrics.scrape;

/** A scraped body, uncompressed: the first {@code length} bytes of {@code bytes}, and the response's Content-Type. */
record RawBody(byte[] bytes, int length, String contentType) {}
