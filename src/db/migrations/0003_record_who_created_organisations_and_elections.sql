ALTER TABLE "organisations" ADD COLUMN "created_by" text DEFAULT 'unknown' NOT NULL;--> statement-breakpoint
ALTER TABLE "elections" ADD COLUMN "created_by" text DEFAULT 'unknown' NOT NULL;