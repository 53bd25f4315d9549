/**
 * Every migration in order, keyed by a name that sorts in apply order. Migrations are code (no
 * file scanning), so a bundled build carries them, and each takes the engine's flavor.
 */
import type { Migration, MigrationProvider } from 'kysely';
import { initialMigration } from './0001-initial.js';
import { moPartsMigration } from './0002-mo-parts.js';
import { consoleStateMigration } from './0003-console-state.js';
import { groupSendsMigration } from './0004-group-sends.js';
import type { MigrationFlavor } from './migration-flavor.js';

export function migrationList(flavor: MigrationFlavor): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(flavor),
    '0002-mo-parts': moPartsMigration(),
    '0003-console-state': consoleStateMigration(),
    '0004-group-sends': groupSendsMigration(),
  };
}

/** A Kysely `MigrationProvider` over `migrationList`. */
export function migrationProvider(flavor: MigrationFlavor): MigrationProvider {
  return { getMigrations: async () => migrationList(flavor) };
}
