import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTIONS } from '../actions.js';
import { CedarEngine } from './cedar-engine.js';

const engine = new CedarEngine();

test('the generated schema declares one action per operation and the five entity types of resources', () => {
  for (const id of Object.keys(ACTIONS)) assert.ok(engine.schema.includes(`action "${id}" in [`), `no action ${id}`);
  for (const type of ['Catalog', 'Warehouse', 'Namespace', 'Table', 'View', 'User', 'ApiKey', 'Group']) assert.match(engine.schema, new RegExp(`entity ${type}\\b`));
});

test('a well-formed policy over known types, actions and attributes validates', () => {
  assert.deepEqual(engine.validatePolicy('permit(principal in Group::"analysts", action in [Action::"loadTable", Action::"tableExists"], resource in Namespace::"default/sales");'), []);
  assert.deepEqual(engine.validatePolicy('forbid(principal, action == Action::"dropTable", resource is Table) when { resource.name like "prod_*" };'), []);
});

test('an unknown action is refused with the validator message', () => {
  const problems = engine.validatePolicy('permit(principal, action == Action::"eatTable", resource);');
  assert.ok(problems.length > 0);
  assert.match(problems[0]!.message, /eatTable/);
});

test('an attribute the resource type does not have is refused', () => {
  assert.ok(engine.validatePolicy('permit(principal, action == Action::"loadTable", resource) when { resource.owner == "x" };').length > 0);
});

test('an action applied to the wrong resource type is refused', () => {
  assert.ok(engine.validatePolicy('permit(principal, action == Action::"dropNamespace", resource is Table);').length > 0);
});

test('syntax errors, templates and several policies in one are refused', () => {
  assert.ok(engine.validatePolicy('permit(principal, action, resource').length > 0);
  assert.match(engine.validatePolicy('permit(principal == ?principal, action, resource);')[0]!.message, /template/);
  assert.match(engine.validatePolicy('permit(principal, action, resource); forbid(principal, action, resource);')[0]!.message, /exactly one/);
});

test('compiled sets are kept in a bounded number of slots, least recently used first out', () => {
  const small = new CedarEngine(2);
  const parts = (text: string) => () => ({ templates: {}, links: [], policies: { p: text } });
  const allowAll = 'permit(principal, action, resource);';
  const a = small.compile('a', parts(allowAll));
  const b = small.compile('b', parts('forbid(principal, action, resource);'));
  assert.notEqual(a, b);
  assert.equal(small.compile('a', parts(allowAll)), a, 'a hit reuses the slot');
  const c = small.compile('c', parts(allowAll));
  assert.equal(c, b, 'the least recently used slot (b) is reused');
  const request = { principal: { type: 'User', id: 'u' }, action: 'loadTable', resource: { type: 'Table', id: 'w/n/t' }, entities: [] };
  assert.equal(small.decide(c, request).allowed, true);
});
