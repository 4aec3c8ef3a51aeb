-- OPT-3: a prospect who objects is erased; the messages already sent to them stay as message
-- references (campaign, state, reference; no identifier), so a campaign's figures do not change
-- and a late reply to an old message is still recognised. Their contact link becomes null.
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_contact_id_contacts_id_fk";--> statement-breakpoint
ALTER TABLE "outbox" ALTER COLUMN "contact_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE SET NULL ON UPDATE no action;--> statement-breakpoint
-- Which of those rows lost their contact because the recipient objected (and not because a
-- source was deleted): the unsubscribe link must not claim an objection it never recorded.
ALTER TABLE "outbox" ADD COLUMN "recipient_objected" boolean DEFAULT false NOT NULL;
