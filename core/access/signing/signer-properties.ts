import { ForbiddenError } from '../../errors.js';

/**
 * The static `properties` the catalog hands out in a table's `remote-signing-config` (loadTable,
 * createTable, registerTable, loadCredentials), which the spec has signer clients pass back
 * unchanged in every RemoteSignRequest. They name the table the configuration was made for, so a
 * signature is only made in the context it was handed out for: a request that arrives at table B's
 * sign endpoint carrying table A's properties (a client mixing up its tables, or a caller replaying
 * A's configuration against B) is refused, and so is one carrying a dropped-and-recreated table's
 * old uuid. What may be signed is decided by the path's table and the caller's rights alone; the
 * properties only have to agree with them.
 *
 * Properties the client does not send are not required: older clients (Iceberg Java before
 * `remote-signing-config`, PyIceberg) send none, and the path already names the table.
 */
export const SIGNER_PROPERTY = {
  warehouse: 'catalog.signer.warehouse',
  namespace: 'catalog.signer.namespace',
  table: 'catalog.signer.table',
  tableUuid: 'catalog.signer.table-uuid',
} as const;

export interface SigningTable {
  readonly warehouse: string;
  readonly namespace: readonly string[];
  readonly name: string;
  readonly uuid: string;
}

/** Namespace levels joined by the unit separator, as the REST path joins them (%1F). */
const LEVEL_SEPARATOR = '\u001f';

/** The properties for `remote-signing-config.properties` of a table. */
export function signerProperties(table: SigningTable): Record<string, string> {
  return {
    [SIGNER_PROPERTY.warehouse]: table.warehouse,
    [SIGNER_PROPERTY.namespace]: table.namespace.join(LEVEL_SEPARATOR),
    [SIGNER_PROPERTY.table]: table.name,
    [SIGNER_PROPERTY.tableUuid]: table.uuid,
  };
}

/** 403 when a property the catalog hands out is echoed with another table's value. */
export function checkSignerProperties(properties: Readonly<Record<string, string>>, table: SigningTable): void {
  const expected = signerProperties(table);
  for (const [name, value] of Object.entries(expected)) {
    if (!Object.hasOwn(properties, name)) continue;
    if (properties[name] !== value) {
      throw new ForbiddenError(`Not signed: the signer property ${name} names another table than the sign endpoint's (${table.namespace.join('.')}.${table.name})`);
    }
  }
}
