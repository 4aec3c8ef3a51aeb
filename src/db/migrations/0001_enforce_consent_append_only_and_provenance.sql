-- CH-CONSENT: the consent ledger is append-only. Updates are never allowed; deletes only
-- inside a transaction that declares a lawful purge (erasure or retention), by setting
-- `isoloir.purge` locally. A cascade from a deleted contact therefore needs that too.
CREATE FUNCTION consent_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(current_setting('isoloir.purge', true), '') = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'CH-CONSENT: the consent ledger is append-only; record a new entry instead'
    USING ERRCODE = 'check_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER consent_entries_append_only
  BEFORE UPDATE OR DELETE ON consent_entries
  FOR EACH ROW EXECUTE FUNCTION consent_entries_append_only();
--> statement-breakpoint
-- SRC-6: no contact exists without a source. Checked at commit (deferred), so a transaction
-- can insert a contact and then its provenance, or delete a source and then its contacts.
CREATE FUNCTION contacts_have_provenance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cid uuid;
BEGIN
  IF TG_TABLE_NAME = 'contacts' THEN
    cid := NEW.id;
  ELSE
    cid := OLD.contact_id;
  END IF;
  IF EXISTS (SELECT 1 FROM contacts WHERE id = cid)
     AND NOT EXISTS (SELECT 1 FROM contact_provenance WHERE contact_id = cid) THEN
    RAISE EXCEPTION 'SRC-6: every contact must keep at least one provenance row (contact %)', cid
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER contacts_have_provenance
  AFTER INSERT ON contacts DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION contacts_have_provenance();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER contact_provenance_not_orphaning
  AFTER DELETE OR UPDATE ON contact_provenance DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION contacts_have_provenance();
