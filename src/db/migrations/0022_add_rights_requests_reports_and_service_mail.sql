-- Issue 15, the voter's side. RIGHTS-2: each sent message remembers the source its notice named,
-- so that its page (/m/:ref) and a report's compliance record can name it after the contact is
-- erased. RIGHTS-1: rights requests proven by a one-time code (hashes and sealed values only),
-- with their one-month clock. REP-1: reports of non-compliant messages. Service mail (codes,
-- replies, the DPO's alerts) is queued durably, its payload sealed and dropped once sent.
-- Staff corrections of identifiers are kept as field names only (contact_rectifications).
ALTER TABLE "outbox" ADD COLUMN "source_id" uuid;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_source_id_fk" FOREIGN KEY ("source_id") REFERENCES "data_sources"("id") ON DELETE set null;--> statement-breakpoint
CREATE TABLE "rights_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"identifier_index" bytea NOT NULL,
	"identifier" bytea NOT NULL,
	"message_ref" text,
	"details" bytea,
	"status" text DEFAULT 'awaiting_code' NOT NULL,
	"code_hash" bytea,
	"code_expires_at" timestamp with time zone,
	"code_failures" integer DEFAULT 0 NOT NULL,
	"client_hash" bytea,
	"received_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"due_at" timestamp with time zone NOT NULL,
	"extended_at" timestamp with time zone,
	"extension_reason" text,
	"answered_at" timestamp with time zone,
	"answered_by" text,
	"answer_note" text,
	"outcome" text,
	"contact_ids" uuid[],
	CONSTRAINT "rights_requests_kind" CHECK ("kind" in ('access', 'rectification', 'erasure', 'restriction', 'objection')),
	CONSTRAINT "rights_requests_status" CHECK ("status" in ('awaiting_code', 'locked', 'expired', 'open', 'extended', 'answered')),
	CONSTRAINT "rights_requests_channel" CHECK ("channel" in ('email', 'phone'))
);--> statement-breakpoint
ALTER TABLE "rights_requests" ADD CONSTRAINT "rights_requests_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "organisations"("id") ON DELETE cascade;--> statement-breakpoint
CREATE INDEX "rights_requests_org_status" ON "rights_requests" ("org_id", "status", "due_at");--> statement-breakpoint
CREATE INDEX "rights_requests_identifier" ON "rights_requests" ("org_id", "identifier_index", "received_at");--> statement-breakpoint
CREATE INDEX "rights_requests_client" ON "rights_requests" ("client_hash", "received_at");--> statement-breakpoint
CREATE TABLE "message_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"outbox_id" bigint,
	"message_ref" text NOT NULL,
	"channel" text NOT NULL,
	"reason" text NOT NULL,
	"comment" bytea,
	"client_hash" bytea,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "message_reports_reason" CHECK ("reason" in ('no_consent', 'had_objected', 'no_way_to_stop', 'during_silence', 'other_peoples_data', 'other'))
);--> statement-breakpoint
ALTER TABLE "message_reports" ADD CONSTRAINT "message_reports_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "organisations"("id") ON DELETE cascade;--> statement-breakpoint
ALTER TABLE "message_reports" ADD CONSTRAINT "message_reports_outbox_id_fk" FOREIGN KEY ("outbox_id") REFERENCES "outbox"("id") ON DELETE set null;--> statement-breakpoint
CREATE INDEX "message_reports_org" ON "message_reports" ("org_id", "received_at");--> statement-breakpoint
CREATE INDEX "message_reports_ref" ON "message_reports" ("message_ref");--> statement-breakpoint
CREATE TABLE "contact_rectifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"field" text NOT NULL,
	"request_id" uuid,
	"rectified_at" timestamp with time zone NOT NULL,
	"rectified_by" text NOT NULL
);--> statement-breakpoint
ALTER TABLE "contact_rectifications" ADD CONSTRAINT "contact_rectifications_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "organisations"("id") ON DELETE cascade;--> statement-breakpoint
ALTER TABLE "contact_rectifications" ADD CONSTRAINT "contact_rectifications_contact_id_fk" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE cascade;--> statement-breakpoint
ALTER TABLE "contact_rectifications" ADD CONSTRAINT "contact_rectifications_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "rights_requests"("id") ON DELETE set null;--> statement-breakpoint
CREATE INDEX "contact_rectifications_contact" ON "contact_rectifications" ("contact_id");--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"payload" bytea,
	"state" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "notifications_kind" CHECK ("kind" in ('rights_code', 'rights_reply', 'dpo_alert')),
	CONSTRAINT "notifications_channel" CHECK ("channel" in ('email', 'sms')),
	CONSTRAINT "notifications_state" CHECK ("state" in ('queued', 'sent', 'failed'))
);--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "organisations"("id") ON DELETE cascade;--> statement-breakpoint
CREATE INDEX "notifications_due" ON "notifications" ("next_attempt_at") WHERE "state" = 'queued';
