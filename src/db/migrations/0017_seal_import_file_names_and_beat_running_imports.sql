-- Issue 13 (nothing personal outlives a crash):
-- * An uploaded file's name often carries a person's name ("liste Dupont Marie.csv"): it is now
--   sealed with the organisation's key (file_name_sealed); the clear column goes, with what it held.
-- * A running import beats (heartbeat_at, every few seconds, outside its transaction): a server
--   that starts marks `failed` the running imports whose beat is stale (their process is dead).
ALTER TABLE "imports" ADD COLUMN "file_name_sealed" bytea;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "heartbeat_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "imports" DROP COLUMN "file_name";
