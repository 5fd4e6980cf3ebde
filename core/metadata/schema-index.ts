/**
 * Lookups over a schema's nested fields by id and by full column name. Names follow Java's
 * `findColumnName`: struct fields are joined with `.`, list elements are `<list>.element` and map
 * keys and values are `<map>.key` / `<map>.value`.
 */
import type { IcebergType, StructField } from './types.js';

export interface IndexedField {
  readonly id: number;
  readonly name: string;
  readonly type: IcebergType;
  readonly required: boolean;
  readonly initialDefault?: StructField['initialDefault'];
  /** True when the field sits inside a list or a map (it cannot identify rows). */
  readonly nestedInCollection: boolean;
  /** True when an enclosing struct is optional. */
  readonly nestedInOptional: boolean;
}

export interface SchemaIndex {
  readonly byId: ReadonlyMap<number, IndexedField>;
  readonly byName: ReadonlyMap<string, IndexedField>;
  /** Ids or names that occur more than once; a valid schema has none. */
  readonly duplicateIds: readonly number[];
  readonly duplicateNames: readonly string[];
}

export function indexSchemaFields(fields: readonly StructField[]): SchemaIndex {
  const byId = new Map<number, IndexedField>();
  const byName = new Map<string, IndexedField>();
  const duplicateIds: number[] = [];
  const duplicateNames: string[] = [];

  const add = (entry: IndexedField): void => {
    if (byId.has(entry.id)) duplicateIds.push(entry.id);
    else byId.set(entry.id, entry);
    if (byName.has(entry.name)) duplicateNames.push(entry.name);
    else byName.set(entry.name, entry);
  };

  const visitType = (type: IcebergType, prefix: string, inCollection: boolean, inOptional: boolean): void => {
    if (typeof type === 'string') return;
    switch (type.type) {
      case 'struct':
        visitFields(type.fields, prefix, inCollection, inOptional);
        return;
      case 'list': {
        const name = `${prefix}.element`;
        add({ id: type.elementId, name, type: type.element, required: type.elementRequired, nestedInCollection: true, nestedInOptional: inOptional });
        visitType(type.element, name, true, inOptional || !type.elementRequired);
        return;
      }
      case 'map': {
        const keyName = `${prefix}.key`;
        const valueName = `${prefix}.value`;
        add({ id: type.keyId, name: keyName, type: type.key, required: true, nestedInCollection: true, nestedInOptional: inOptional });
        add({ id: type.valueId, name: valueName, type: type.value, required: type.valueRequired, nestedInCollection: true, nestedInOptional: inOptional });
        visitType(type.key, keyName, true, inOptional);
        visitType(type.value, valueName, true, inOptional || !type.valueRequired);
        return;
      }
    }
  };

  const visitFields = (structFields: readonly StructField[], prefix: string | undefined, inCollection: boolean, inOptional: boolean): void => {
    for (const field of structFields) {
      const name = prefix === undefined ? field.name : `${prefix}.${field.name}`;
      add({
        id: field.id,
        name,
        type: field.type,
        required: field.required,
        ...(field.initialDefault === undefined ? {} : { initialDefault: field.initialDefault }),
        nestedInCollection: inCollection,
        nestedInOptional: inOptional,
      });
      visitType(field.type, name, inCollection, inOptional || !field.required);
    }
  };

  visitFields(fields, undefined, false, false);
  return { byId, byName, duplicateIds, duplicateNames };
}

export function highestFieldId(fields: readonly StructField[]): number {
  let highest = 0;
  for (const id of indexSchemaFields(fields).byId.keys()) {
    if (id > highest) highest = id;
  }
  return highest;
}
