-- One row per installation: a check value of the master key (HMAC-SHA256 of a fixed label under
-- the key, never the key itself), so that a process started with another key is refused at start
-- instead of creating organisations that the rest of the installation cannot read.
CREATE TABLE "installation" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"key_check" bytea NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "installation_singleton" CHECK ("installation"."id")
);
