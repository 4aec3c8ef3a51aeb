-- SEC-2, no account enumeration: failed sign-ins on an email without an account (or a disabled
-- one) are counted and locked in the database as an account's are, so that a restart, a second
-- server process or a flood of other emails does not clear the lock. The email is held only as
-- an HMAC under a key derived from the master key. Rows whose last failure is over a day old are
-- purged as others are written.
CREATE TABLE "sign_in_unknown_attempts" (
	"email_hash" bytea PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_failure_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE INDEX "sign_in_unknown_attempts_last_failure_at_idx" ON "sign_in_unknown_attempts" USING btree ("last_failure_at");
