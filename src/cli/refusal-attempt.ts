// Refused attempts through the CLI are audited here, in the runner's one error path (run.ts): the
// actor `cli`, the command that ran ("segment.count", "source.create", "import"), the entity its
// id argument or its --segment / --source / --org option names, and that entity's organisation.
// Only ids (UUIDs) are kept: never a file name, a --where filter, a label or any other value.
import type { Command } from 'commander';
import { domainErrorFromDatabase } from '../db/errors.ts';
import { auditRefusal, orgOfEntity, refusedRules, UUID } from '../domain/audit/record-refusal.ts';
import type { Services } from '../services.ts';

/** The parent command whose `<id>` argument names an entity of this type. */
const ENTITY_OF_COMMAND: Record<string, string> = {
  org: 'organisation',
  source: 'source',
  import: 'import',
  segment: 'segment',
  campaign: 'campaign',
  election: 'election',
};
/** Options naming an entity, most specific first. */
const ENTITY_OF_OPTION: [option: string, type: string][] = [
  ['campaign', 'campaign'],
  ['segment', 'segment'],
  ['source', 'source'],
  ['org', 'organisation'],
];

function entityOf(command: Command): { entityType: string; entityId: string | null } {
  const idAt = command.registeredArguments.findIndex((a) => a.name() === 'id');
  const parent = command.parent?.name() ?? '';
  const id: unknown = idAt >= 0 ? command.processedArgs[idAt] : undefined;
  if (typeof id === 'string' && UUID.test(id) && ENTITY_OF_COMMAND[parent])
    return { entityType: ENTITY_OF_COMMAND[parent], entityId: id };
  const opts = command.opts() as Record<string, unknown>;
  for (const [option, type] of ENTITY_OF_OPTION) {
    const value = opts[option];
    if (typeof value === 'string' && UUID.test(value)) return { entityType: type, entityId: value };
  }
  return { entityType: 'command', entityId: null };
}

function nameOf(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join('.');
}

/** Writes the `policy.refuse` event of a rule refusal by a CLI command; others write nothing. */
export async function auditRefusedCommand(
  s: Services,
  command: Command | undefined,
  error: unknown,
): Promise<void> {
  const refusal = domainErrorFromDatabase(error) ?? error;
  if (!refusedRules(refusal)) return;
  const { entityType, entityId } = command
    ? entityOf(command)
    : { entityType: 'command', entityId: null };
  const org = command?.opts().org;
  const orgId =
    typeof org === 'string' && UUID.test(org)
      ? org
      : entityId
        ? await orgOfEntity(s.db, entityType, entityId)
        : null;
  await auditRefusal(
    s.db,
    refusal,
    { actor: 'cli', attempted: command ? nameOf(command) : 'unknown', orgId, entityType, entityId },
    s.clock,
  );
}
