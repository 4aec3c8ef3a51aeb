import { Hono } from 'hono';
import { importContacts } from '../../domain/contacts/import/import-contacts.ts';
import { getImport, readRejections } from '../../domain/contacts/import/import-records.ts';
import { previewImport } from '../../domain/contacts/import/preview-import.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { org, permit } from '../permit.ts';
import { receiveUpload } from '../upload.ts';

export function importRoutes(s: Services) {
  return (
    new Hono<{ Variables: AuthVariables }>()
      .post('/sources/:sourceId/imports', permit(s, 'import.run', org.ofSource), async (c) => {
        // Fields: file (required), map (HEADER=FIELD, repeatable), encoding, sheet.
        // The file waits in the private spool, and goes when the import ends, however it ends.
        const upload = await receiveUpload(c.req.raw, s.imports.spoolDir);
        try {
          const summary = await importContacts(s.db, {
            keys: s.keys,
            sourceId: c.req.param('sourceId'),
            file: upload.path,
            fileName: upload.fileName,
            mapping: upload.fields.map ?? [],
            encoding: upload.fields.encoding?.[0],
            sheet: upload.fields.sheet?.[0],
            actor: c.var.actor,
            clock: s.clock,
            limits: s.imports.limits,
          });
          return c.json(summary, 201);
        } finally {
          await upload.cleanup();
        }
      })
      // The wizard's first step: format and column plan, nothing stored.
      .post(
        '/sources/:sourceId/imports/preview',
        permit(s, 'import.run', org.ofSource),
        async (c) => {
          const upload = await receiveUpload(c.req.raw, s.imports.spoolDir);
          try {
            return c.json(
              await previewImport(s.db, {
                sourceId: c.req.param('sourceId'),
                file: upload.path,
                mapping: upload.fields.map ?? [],
                encoding: upload.fields.encoding?.[0],
                sheet: upload.fields.sheet?.[0],
                actor: c.var.actor,
                clock: s.clock,
                limits: s.imports.limits,
              }),
            );
          } finally {
            await upload.cleanup();
          }
        },
      )
      .get('/imports/:importId', permit(s, 'import.read', org.ofImport), async (c) =>
        c.json(await getImport(s.db, { importId: c.req.param('importId'), keys: s.keys })),
      )
      .get(
        '/imports/:importId/rejected',
        permit(s, 'import.read_rejected', org.ofImport),
        async (c) =>
          // { items, withheld }: objectors' rows are withheld, only counted (OPT-3).
          c.json(
            await readRejections(s.db, {
              keys: s.keys,
              importId: c.req.param('importId'),
              actor: c.var.actor,
            }),
          ),
      )
  );
}
