/** Seconds a client should wait between polls of an open job (Retry-After on its answers). */
export const JOB_POLL_SECONDS = 1;
