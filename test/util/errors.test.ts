import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, invalidParameterError, GankitError, DESCRIBE_MAX_CHARS } from '../../src/util/errors.js';

/** Hostile values: none may make the formatter throw, loop or write a long message. */
function hostileValues(): [string, unknown, RegExp][] {
  const cyclic: unknown[] = [1];
  cyclic.push(cyclic);
  const cyclicObject: Record<string, unknown> = {};
  cyclicObject.self = cyclicObject;
  const throwingGetters = Object.defineProperty({}, 'constructor', { get() { throw new Error('getter'); } });
  const throwingToString = { toString() { throw new Error('toString'); }, toJSON() { throw new Error('toJSON'); } };
  const { proxy: revoked, revoke } = Proxy.revocable([], {});
  revoke();
  const trapAll = new Proxy([1, 2], { get() { throw new Error('get trap'); }, has() { throw new Error('has trap'); }, ownKeys() { throw new Error('ownKeys trap'); } });
  const trapFn = new Proxy(() => 1, { get() { throw new Error('get trap'); } });
  const hugeArray = new Array(1e6).fill(7);
  const deep: unknown[] = [];
  let cur = deep;
  for (let i = 0; i < 10_000; i++) { const next: unknown[] = []; cur.push(next); cur = next; }
  const sparse: unknown[] = [];
  sparse.length = 2 ** 32 - 1;
  const arrayWithGetter = [1, 2];
  Object.defineProperty(arrayWithGetter, 1, { get() { throw new Error('index getter'); } });
  return [
    ['cyclic array', cyclic, /^\[1,\[1,\[1,\[\.\.\.\]\]\]\] of type array$/],
    ['cyclic object', cyclicObject, /^an instance of Object$/],
    ['BigInt', 12345678901234567890n, /^12345678901234567890n of type bigint$/],
    ['huge BigInt', 10n ** 5000n, /^1000+\.\.\. of type bigint$/],
    ['BigInt in an array', [1n, 2n], /^\[1n,2n\] of type array$/],
    ['symbol', Symbol('s'), /^Symbol\(s\) of type symbol$/],
    ['symbol in an array', [Symbol('t')], /^\[Symbol\(t\)\] of type array$/],
    ['function', function named() { return 1; }, /^function named of type function$/],
    ['arrow', (() => () => 1)(), /^an anonymous function of type function$/],
    ['class', class Foo {}, /^function Foo of type function$/],
    ['huge string', 'x'.repeat(50_000_000), /^"x{56}\.\.\. of type string$/],
    ['string of quotes', '"'.repeat(1000), /^"(\\"){28}\.\.\. of type string$/],
    ['throwing constructor getter', throwingGetters, /^an instance of Object$/],
    ['throwing toString and toJSON', throwingToString, /^an instance of Object$/],
    ['revoked proxy', revoked, /^an instance of Object$/],
    ['proxy with throwing traps', trapAll, /^\[\?\] of type array$/],
    ['function proxy with throwing traps', trapFn, /^an anonymous function of type function$/],
    ['huge array', hugeArray, /^\[7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,\.\.\.\] of type array$/],
    ['deep array', deep, /^\[\[\[\[\.\.\.\]\]\]\] of type array$/],
    ['sparse array of 2^32-1', sparse, /^\[undefined,undefined,.*\.\.\. of type array$/],
    ['array with a throwing index getter', arrayWithGetter, /^\[1,"\?"\] of type array$/],
    ['null prototype', Object.create(null), /^an instance of Object$/],
    ['long class name', new (class { static override_name = 1; })(), /^an instance of /],
    ['NaN', NaN, /^NaN of type number$/],
    ['number', -1, /^-1 of type number$/],
    ['Map', new Map([[1, 2]]), /^an instance of Map$/],
  ];
}

test('describe handles any value with a bounded description and never throws', () => {
  for (const [label, value, re] of hostileValues()) {
    const text = describe(value);
    assert.match(text, re, label);
    assert.ok(text.length <= DESCRIBE_MAX_CHARS + ' of type function'.length + 'an instance of '.length, `${label}: ${text.length} characters`);
    const err = invalidParameterError('p', 'something', value);
    assert.ok(err instanceof GankitError, label);
    assert.ok(err.message.length < 200, label);
  }
});

test('describe keeps the established shapes of ordinary values', () => {
  assert.equal(describe([1, 0]), '[1,0] of type array');
  assert.equal(describe([]), '[] of type array');
  assert.equal(describe([[1]]), '[[1]] of type array');
  assert.equal(describe('30'), '"30" of type string');
  assert.equal(describe('y'.repeat(100)), `"${'y'.repeat(56)}... of type string`);
  assert.equal(describe(true), 'true of type boolean');
  assert.equal(describe(null), 'null');
  assert.equal(describe(undefined), 'undefined');
  assert.equal(describe(new Date(0)), 'an instance of Date');
  assert.equal(describe(['a', null, undefined, { a: 1 }]), '["a",null,undefined,{...}] of type array');
});
