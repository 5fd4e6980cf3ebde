/**
 * Re-numbers a requested schema from 1, as Java's `TypeUtil.assignFreshIds` does for a new table:
 * the direct fields of a struct get consecutive ids first, then each field's nested type is numbered
 * in order (list element; map key then value; nested struct fields). Top-level `id, data, list,
 * map, struct` become 1–5, then the list element 6, map key 7, map value 8, struct child 9.
 */
import type { IcebergType, Schema, SchemaInput, StructField } from './types.js';

export interface FreshSchema {
  readonly schema: Schema;
  readonly lastColumnId: number;
}

export function assignFreshIds(input: SchemaInput, schemaId: number): FreshSchema {
  let lastId = 0;
  const oldToNew = new Map<number, number>();
  const next = (oldId: number): number => {
    lastId += 1;
    if (!oldToNew.has(oldId)) oldToNew.set(oldId, lastId);
    return lastId;
  };

  const freshType = (type: IcebergType): IcebergType => {
    if (typeof type === 'string') return type;
    switch (type.type) {
      case 'struct':
        return { type: 'struct', fields: freshFields(type.fields) };
      case 'list': {
        const elementId = next(type.elementId);
        return { ...type, elementId, element: freshType(type.element) };
      }
      case 'map': {
        const keyId = next(type.keyId);
        const valueId = next(type.valueId);
        return { ...type, keyId, valueId, key: freshType(type.key), value: freshType(type.value) };
      }
    }
  };

  const freshFields = (fields: readonly StructField[]): StructField[] => {
    const ids = fields.map((field) => next(field.id));
    return fields.map((field, index) => ({ ...field, id: ids[index] ?? field.id, type: freshType(field.type) }));
  };

  const fields = freshFields(input.fields);
  const identifierFieldIds = input.identifierFieldIds.map((id) => oldToNew.get(id) ?? id);
  return { schema: { schemaId, fields, identifierFieldIds }, lastColumnId: lastId };
}
