-- The organisation's own phone number (public, like its contact email): a campaign may print it,
-- and the SEC-3 body scan lets it through while it blocks other people's numbers.
ALTER TABLE "organisations" ADD COLUMN "contact_phone" text;
