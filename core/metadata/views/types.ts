/**
 * The engine's model of Iceberg view metadata (view spec v1), view commit updates and the one view
 * requirement. Field names are camelCase; `serialize.ts` and `validate/` translate to and from the
 * spec's kebab-case JSON. Schemas and the six updates views share with tables reuse the table
 * types, so one schema reader, one serialiser and one equivalence rule serve both.
 */
import type {
  AddSchemaUpdate,
  AssignUuidUpdate,
  Long,
  RemovePropertiesUpdate,
  Schema,
  SchemaInput,
  SetLocationUpdate,
  SetPropertiesUpdate,
  UpgradeFormatVersionUpdate,
} from '../types.js';

/** The view spec has one format version. */
export type ViewFormatVersion = 1;

export interface SqlViewRepresentation {
  readonly type: 'sql';
  readonly sql: string;
  readonly dialect: string;
}

/** A one-member union so a future representation type extends it without touching callers. */
export type ViewRepresentation = SqlViewRepresentation;

export interface ViewVersion {
  readonly versionId: number;
  readonly timestampMs: Long;
  /** In an add-view-version update, -1 means the schema added last in this commit. */
  readonly schemaId: number;
  readonly summary: Readonly<Record<string, string>>;
  readonly representations: readonly ViewRepresentation[];
  readonly defaultCatalog?: string;
  /** Namespace levels; may be empty. */
  readonly defaultNamespace: readonly string[];
}

/** One change of `current-version-id`. */
export interface ViewHistoryEntry {
  readonly timestampMs: Long;
  readonly versionId: number;
}

export interface ViewMetadata {
  readonly viewUuid: string;
  readonly formatVersion: ViewFormatVersion;
  readonly location: string;
  readonly currentVersionId: number;
  readonly versions: readonly ViewVersion[];
  readonly versionLog: readonly ViewHistoryEntry[];
  readonly schemas: readonly Schema[];
  readonly properties: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------------------------------------
// Commit updates (the 8 view actions)

export interface AddViewVersionUpdate {
  readonly action: 'add-view-version';
  readonly viewVersion: ViewVersion;
}

export interface SetCurrentViewVersionUpdate {
  readonly action: 'set-current-view-version';
  /** -1 means the version added (or matched) last in this commit. */
  readonly viewVersionId: number;
}

export type ViewUpdate =
  | AssignUuidUpdate
  | UpgradeFormatVersionUpdate
  | AddSchemaUpdate
  | SetLocationUpdate
  | SetPropertiesUpdate
  | RemovePropertiesUpdate
  | AddViewVersionUpdate
  | SetCurrentViewVersionUpdate;

export type ViewUpdateAction = ViewUpdate['action'];

// ---------------------------------------------------------------------------------------------
// Commit requirements (one type)

export interface AssertViewUuid {
  readonly type: 'assert-view-uuid';
  readonly uuid: string;
}

export type ViewRequirement = AssertViewUuid;

export type ViewRequirementType = ViewRequirement['type'];

// ---------------------------------------------------------------------------------------------
// Requests

/**
 * The parts of a CreateViewRequest the engine uses; the catalog resolves `location` first. Of
 * `viewVersion` only the representations, default catalog/namespace and summary are kept: the
 * server assigns the version id, schema id and timestamp, as Java's create does.
 */
export interface CreateViewRequest {
  readonly name: string;
  readonly location?: string;
  readonly schema: SchemaInput;
  readonly viewVersion: ViewVersion;
  readonly properties: Readonly<Record<string, string>>;
}

export interface RegisterViewRequest {
  readonly name: string;
  readonly metadataLocation: string;
}

/** A CommitViewRequest body minus `identifier`, which the HTTP layer checks against the path. */
export interface CommitViewRequest {
  readonly requirements: readonly ViewRequirement[];
  readonly updates: readonly ViewUpdate[];
}
