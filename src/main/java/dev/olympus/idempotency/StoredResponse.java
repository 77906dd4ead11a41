package dev.olympus.idempotency;

/** The first answer to an {@code Idempotency-Key}, replayed to every repetition: status, body and key headers. */
record StoredResponse(int status, String contentType, String location, String etag, byte[] body) {}
