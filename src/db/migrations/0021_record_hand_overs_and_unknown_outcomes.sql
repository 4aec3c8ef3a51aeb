-- Issue 14, lose nobody: a claimed message may become `unknown` only if it may have reached the
-- SMTP server (or SMSC). Just before the engine hands a message to a connection it records the
-- hand-over here, from a connection of its own and committed at once, so the record survives a
-- kill or a rollback of the send group's transaction (which keeps its FOR SHARE re-check, OPT-2).
-- When a lease runs out, a claimed row with a hand-over of its attempt becomes `unknown`; any
-- other goes back to the queue (dispatch/outbox.ts). The embedded database, one connection,
-- keeps the same record in an append-only file of the data directory instead.
CREATE TABLE "outbox_handovers" (
	"outbox_id" bigint NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"worker" text NOT NULL,
	CONSTRAINT "outbox_handovers_pkey" PRIMARY KEY ("outbox_id", "attempt")
);--> statement-breakpoint
ALTER TABLE "outbox_handovers" ADD CONSTRAINT "outbox_handovers_outbox_id_fk" FOREIGN KEY ("outbox_id") REFERENCES "outbox"("id") ON DELETE cascade;--> statement-breakpoint
-- A campaign whose last rows ended `unknown` says so: a second copy is possible, a silent
-- omission is not, and `isoloir campaign resend-unknown` is the explicit, audited decision.
ALTER TABLE "campaigns" DROP CONSTRAINT "campaigns_state";--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_state" CHECK ("state" in ('draft', 'planned', 'sending', 'paused', 'done', 'done_with_unknown', 'cancelled'));
