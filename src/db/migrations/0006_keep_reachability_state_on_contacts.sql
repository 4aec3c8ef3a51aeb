ALTER TABLE "contacts" ADD COLUMN "consent_email" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "consent_sms" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "consent_phone" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "consent_post" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "relationship" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Consent state per channel = the latest ledger entry (by when it happened, then id) for
-- political communication. Statement-level, so a batch of entries costs one update.
CREATE FUNCTION contacts_keep_consent_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH changed AS (
    SELECT DISTINCT contact_id, channel FROM new_entries WHERE purpose = 'political_communication'
  ),
  latest AS (
    SELECT DISTINCT ON (e.contact_id, e.channel) e.contact_id, e.channel, e.action
    FROM consent_entries e JOIN changed ch ON ch.contact_id = e.contact_id AND ch.channel = e.channel
    WHERE e.purpose = 'political_communication'
    ORDER BY e.contact_id, e.channel, e.occurred_at DESC, e.id DESC
  ),
  pivot AS (
    SELECT contact_id,
      bool_or(channel = 'email') AS has_email, max(action) FILTER (WHERE channel = 'email') AS email,
      bool_or(channel = 'sms') AS has_sms, max(action) FILTER (WHERE channel = 'sms') AS sms,
      bool_or(channel = 'phone') AS has_phone, max(action) FILTER (WHERE channel = 'phone') AS phone,
      bool_or(channel = 'post') AS has_post, max(action) FILTER (WHERE channel = 'post') AS post
    FROM latest GROUP BY contact_id
  )
  UPDATE contacts c SET
    consent_email = CASE WHEN p.has_email THEN p.email ELSE c.consent_email END,
    consent_sms = CASE WHEN p.has_sms THEN p.sms ELSE c.consent_sms END,
    consent_phone = CASE WHEN p.has_phone THEN p.phone ELSE c.consent_phone END,
    consent_post = CASE WHEN p.has_post THEN p.post ELSE c.consent_post END
  FROM pivot p WHERE c.id = p.contact_id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER contacts_keep_consent_state
  AFTER INSERT ON consent_entries REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION contacts_keep_consent_state();
--> statement-breakpoint
-- Relationship = some source of the contact is one the person gave their details to
-- (member_file, supporter_signup: the packs' relationshipSources; a test keeps them equal).
-- Set-based on the statement's rows: an insert can only add a relationship, a delete can only
-- remove one, so each touches just the contacts concerned.
CREATE FUNCTION contacts_gain_relationship() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE contacts c SET relationship = true
  FROM (
    SELECT DISTINCT n.contact_id FROM changed_provenance n JOIN data_sources s ON s.id = n.source_id
    WHERE s.type IN ('member_file', 'supporter_signup')
  ) gained
  WHERE c.id = gained.contact_id AND NOT c.relationship;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION contacts_lose_relationship() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE contacts c SET relationship = false
  FROM (SELECT DISTINCT contact_id FROM changed_provenance) ch
  WHERE c.id = ch.contact_id AND c.relationship
    AND NOT EXISTS (
      SELECT 1 FROM contact_provenance p JOIN data_sources s ON s.id = p.source_id
      WHERE p.contact_id = c.id AND s.type IN ('member_file', 'supporter_signup'));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER contacts_keep_relationship_on_insert
  AFTER INSERT ON contact_provenance REFERENCING NEW TABLE AS changed_provenance
  FOR EACH STATEMENT EXECUTE FUNCTION contacts_gain_relationship();
--> statement-breakpoint
CREATE TRIGGER contacts_keep_relationship_on_delete
  AFTER DELETE ON contact_provenance REFERENCING OLD TABLE AS changed_provenance
  FOR EACH STATEMENT EXECUTE FUNCTION contacts_lose_relationship();
--> statement-breakpoint
-- Existing rows.
UPDATE contacts c SET relationship = true WHERE EXISTS (
  SELECT 1 FROM contact_provenance p JOIN data_sources s ON s.id = p.source_id
  WHERE p.contact_id = c.id AND s.type IN ('member_file', 'supporter_signup'));
--> statement-breakpoint
UPDATE contacts c SET
  consent_email = (SELECT e.action FROM consent_entries e WHERE e.contact_id = c.id AND e.channel = 'email' AND e.purpose = 'political_communication' ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1),
  consent_sms = (SELECT e.action FROM consent_entries e WHERE e.contact_id = c.id AND e.channel = 'sms' AND e.purpose = 'political_communication' ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1),
  consent_phone = (SELECT e.action FROM consent_entries e WHERE e.contact_id = c.id AND e.channel = 'phone' AND e.purpose = 'political_communication' ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1),
  consent_post = (SELECT e.action FROM consent_entries e WHERE e.contact_id = c.id AND e.channel = 'post' AND e.purpose = 'political_communication' ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1)
WHERE EXISTS (SELECT 1 FROM consent_entries e WHERE e.contact_id = c.id);
