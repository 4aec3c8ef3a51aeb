-- Which source supplied each identifier of a contact (SRC-3, CH-*, NOT-1): the email, the phone
-- number and the street address each name their source, and carry that source's type so that
-- reachability is read from the contact's own row (one pass for a segment count). The pair
-- (id, type) references data_sources(id, type): the type cannot drift from the source's, and
-- deleting the source clears both (the domain first erases the identifier itself).
ALTER TABLE "data_sources" ADD COLUMN "public_description" text;--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_public_description_length" CHECK ("public_description" is null or char_length("public_description") <= 300);--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_id_type" UNIQUE ("id", "type");--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "email_source_id" uuid;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "email_source_type" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "phone_source_id" uuid;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "phone_source_type" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "address_source_id" uuid;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "address_source_type" text;--> statement-breakpoint
-- RET-2: the first message actually sent to the contact, recorded once by the send engine.
ALTER TABLE "contacts" ADD COLUMN "first_message_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_email_source_fk" FOREIGN KEY ("email_source_id", "email_source_type") REFERENCES "data_sources"("id", "type") ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_phone_source_fk" FOREIGN KEY ("phone_source_id", "phone_source_type") REFERENCES "data_sources"("id", "type") ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_address_source_fk" FOREIGN KEY ("address_source_id", "address_source_type") REFERENCES "data_sources"("id", "type") ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_email_source_pair" CHECK (("email_source_id" is null) = ("email_source_type" is null));--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_phone_source_pair" CHECK (("phone_source_id" is null) = ("phone_source_type" is null));--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_address_source_pair" CHECK (("address_source_id" is null) = ("address_source_type" is null));--> statement-breakpoint
-- Backfill. Before this migration nothing said which source supplied an identifier, only which
-- sources a contact has. Each identifier is given to one of the contact's sources that can carry
-- it (electoral and sign-in lists never keep an email, SRC-2), choosing the one that gives the
-- LEAST permission: a purchased file first, then the other prospect sources, then a member file
-- or supporter sign-up; the earliest provenance row among equals. The true supplier is one of
-- those sources, so a wrong guess makes a contact less reachable, never more. Re-importing a
-- member file gives the member's own identifiers back to it (suppliers.ts).
UPDATE "contacts" c SET "email_source_id" = f.source_id, "email_source_type" = f.type
FROM (
  SELECT DISTINCT ON (p.contact_id) p.contact_id, p.source_id, s.type
  FROM contact_provenance p JOIN data_sources s ON s.id = p.source_id
  WHERE s.type NOT IN ('electoral_list', 'signin_list')
  ORDER BY p.contact_id, CASE s.type WHEN 'purchased_file' THEN 0 WHEN 'member_file' THEN 2 WHEN 'supporter_signup' THEN 2 ELSE 1 END, p.id
) f
WHERE c.id = f.contact_id AND c.email_bidx IS NOT NULL;--> statement-breakpoint
UPDATE "contacts" c SET "phone_source_id" = f.source_id, "phone_source_type" = f.type
FROM (
  SELECT DISTINCT ON (p.contact_id) p.contact_id, p.source_id, s.type
  FROM contact_provenance p JOIN data_sources s ON s.id = p.source_id
  ORDER BY p.contact_id, CASE s.type WHEN 'purchased_file' THEN 0 WHEN 'member_file' THEN 2 WHEN 'supporter_signup' THEN 2 ELSE 1 END, p.id
) f
WHERE c.id = f.contact_id AND c.phone_bidx IS NOT NULL;--> statement-breakpoint
UPDATE "contacts" c SET "address_source_id" = f.source_id, "address_source_type" = f.type
FROM (
  SELECT DISTINCT ON (p.contact_id) p.contact_id, p.source_id, s.type
  FROM contact_provenance p JOIN data_sources s ON s.id = p.source_id
  ORDER BY p.contact_id, CASE s.type WHEN 'purchased_file' THEN 0 WHEN 'member_file' THEN 2 WHEN 'supporter_signup' THEN 2 ELSE 1 END, p.id
) f
WHERE c.id = f.contact_id AND c.has_address;--> statement-breakpoint
-- Backfill of the first message: the earliest message the outbox recorded as sent.
UPDATE "contacts" c SET "first_message_at" = o.first_sent
FROM (SELECT contact_id, min(sent_at) AS first_sent FROM outbox WHERE state = 'sent' AND sent_at IS NOT NULL GROUP BY contact_id) o
WHERE c.id = o.contact_id;
--> statement-breakpoint
-- Deleting a source unlinks the consent entries it brought (consent_entries.source_id is
-- ON DELETE SET NULL); the ledger stays append-only otherwise. Only during a declared purge, and
-- only an update that clears source_id and changes nothing else.
CREATE OR REPLACE FUNCTION consent_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(current_setting('isoloir.purge', true), '') = 'on' THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND coalesce(current_setting('isoloir.purge', true), '') = 'on'
     AND NEW.source_id IS NULL AND (to_jsonb(NEW) - 'source_id') = (to_jsonb(OLD) - 'source_id') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'CH-CONSENT: the consent ledger is append-only; record a new entry instead'
    USING ERRCODE = 'check_violation';
END;
$$;
