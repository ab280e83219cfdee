// Entity identification in memory: records are linked through the identifiers they share (a
// union-find over identifiers, so the same records in any order give the same entities), and a
// record with no identifier at all is linked by its exact name while one entity alone carries it.
//
// Rules decided here:
// - An entity holds at most one USCC, organisation code, registration number and resident ID.
//   Linking two entities that hold different values of one of them is refused and reported.
// - Only a record without any identifier is matched by name. A coded record is never linked by
//   name: whether a name is unique can change as records arrive, and a union cannot be undone.
//   Name-only records of one type and name form one entity that resolves to the single coded
//   entity carrying that name, and stands apart (reported) while two or more do.
// - Two names under one USCC are a rename when every delivery (file) with the one precedes every
//   delivery with the other; names that share or interleave deliveries are a conflict.
//   File numbers are taken to be issued in delivery order.
// - Partition is order-independent unless a union was refused: then a record carrying only the
//   contested code joins whichever entity held it first, and the conflict names both.
//
// Most of a night's records are about entities already known and add nothing new to them: those
// take a path that only moves last sightings (`sameEntity`), so a registry of hundreds of
// thousands of entities matches a million records in seconds.
import { ENTITY_TYPES, type EntityType } from '../catalog/index.js';
import { nameKey as keyOfName } from '../cleanse/index.js';
import { embeddedOrgCode, IDENTIFIER_ORDER, recordKeys, usccEntityType, type Evidence, type KeyKind, type KeySource, type MatchKey, type RecordKeys } from './evidence.js';

export interface Source {
  file: number;
  row: number;
}

export type LinkRule = KeySource | 'name' | 'new';

export type ConflictKind =
  /** One USCC with two names seen in the same or interleaved deliveries. */
  | 'uscc-names'
  /** One name of one type held by entities with different USCCs. */
  | 'name-usccs'
  /** An organisation code or registration number held with two different USCCs. */
  | 'legacy-usccs'
  /** Any other link refused because the two sides hold different values of one identifier. */
  | 'code-clash'
  /** Records with only a name that two or more entities carry: left unlinked. */
  | 'ambiguous-name';

export interface Conflict {
  kind: ConflictKind;
  /** The identifier or name key in dispute. */
  value: string;
  entities: number[];
  detail: string;
}

export interface LinkResult {
  entityId: number;
  rule: LinkRule;
  /** The identifier value (or name key) the link was made on; absent for `new`. */
  evidence?: string;
  warnings: string[];
  conflicts: Conflict[];
}

export interface Merge {
  from: number;
  into: number;
  evidence: { kind: KeyKind; value: string };
}

export interface EntityIdentifier {
  kind: KeySource;
  value: string;
  /** A resident ID's masked form (its value is the keyed hash). */
  masked?: string;
  firstSeen: Source;
  lastSeen: Source;
}

export interface EntityView {
  id: number;
  type?: EntityType;
  name?: string;
  formerNames: string[];
  uscc?: string;
  identifiers: EntityIdentifier[];
}

/** One entity as the registry stores it: enough to rebuild the matcher's state exactly. */
export interface StoredEntity {
  id: number;
  /** The type shown: the USCC's, else the first stated one. */
  type?: EntityType;
  /** The current name (last seen) and its key. */
  name?: string;
  nameKey?: string;
  uscc?: string;
  /** Every type records stated for it: which name groups it carries depends on them. */
  statedTypes: EntityType[];
  /** The entity of records that had only a name; they resolve to `resolvedTo` while one entity carries it. */
  nameOnly: boolean;
  resolvedTo?: number;
  /** Set once the entity is merged: the id forwards there. */
  mergedInto?: number;
}

export interface StoredName {
  entity: number;
  key: string;
  name: string;
  first: Source;
  last: Source;
}

export interface StoredIdentifier extends EntityIdentifier {
  entity: number;
  /** Whether records carrying this key link here (a contested code is held by the entity that had it first). */
  holds: boolean;
}

/** What changed since the last `drain()`: rows to write, merges and conflicts to record. */
export interface RegistryChanges {
  /** Entities created or changed, merged-away ones included (with `mergedInto`). */
  entities: StoredEntity[];
  /** Name and identifier rows new or with a new sighting. Rows of a merged-away entity move to its survivor. */
  names: StoredName[];
  identifiers: StoredIdentifier[];
  merges: Merge[];
  conflicts: Conflict[];
}

interface NameSeen {
  key: string;
  display: string;
  first: number;
  last: number;
  /** New, or a sighting moved, since last written out. */
  dirty: boolean;
}

interface Ident {
  kind: KeySource;
  value: string;
  masked: string | undefined;
  first: number;
  last: number;
  dirty: boolean;
}

interface EntityState {
  uscc: string | undefined;
  org: string | undefined;
  reg: string | undefined;
  rid: string | undefined;
  /** Stated types, one bit each in ENTITY_TYPES order. */
  types: number;
  names: NameSeen[];
  identifiers: Ident[];
  /** Set on the entity of name-only records: the type and name key they share. */
  group: string | undefined;
  /** Whether the entity row needs writing out (new, or its codes, names or types changed). */
  changed: boolean;
  /** Whether some name or identifier has a sighting not yet written out. */
  seen: boolean;
}

const CODE_KINDS: readonly KeyKind[] = ['uscc', 'org-code', 'reg-no', 'resident-id'];
const TYPE_BIT = new Map(ENTITY_TYPES.map((t, i) => [t, 1 << i]));
const REG_NO_KEY = /^\d{15}$/;
const NONE: readonly Conflict[] = Object.freeze([]);
const NO_WARNINGS: readonly string[] = Object.freeze([]);

// A sighting (file, row) packed into one number: the order of numbers is the order of deliveries.
const ROW_SPAN = 2 ** 26;
function pack(s: Source): number {
  if (!(s.row >= 0 && s.row < ROW_SPAN && s.file >= 0 && s.file < 2 ** 26)) throw new RangeError(`source file ${s.file} row ${s.row} is out of range`);
  return s.file * ROW_SPAN + s.row;
}
function unpack(p: number): Source {
  const file = Math.floor(p / ROW_SPAN);
  return { file, row: p - file * ROW_SPAN };
}
const fileOf = (p: number): number => Math.floor(p / ROW_SPAN);

const groupKey = (type: EntityType, nameKey: string): string => `${type}\u0000${nameKey}`;
const groupName = (key: string): string => key.slice(key.indexOf('\u0000') + 1);

function codeOf(state: EntityState, kind: KeyKind): string | undefined {
  switch (kind) {
    case 'uscc': return state.uscc;
    case 'org-code': return state.org;
    case 'reg-no': return state.reg;
    default: return state.rid;
  }
}

function setCode(state: EntityState, kind: KeyKind, value: string): void {
  switch (kind) {
    case 'uscc': state.uscc ??= value; break;
    case 'org-code': state.org ??= value; break;
    case 'reg-no': state.reg ??= value; break;
    default: state.rid ??= value;
  }
}

function blankState(): EntityState {
  return { uscc: undefined, org: undefined, reg: undefined, rid: undefined, types: 0, names: [], identifiers: [], group: undefined, changed: true, seen: true };
}

function stateOf(rk: RecordKeys, at: number): EntityState {
  const state = blankState();
  for (const key of rk.keys) setCode(state, key.kind, key.value);
  if (rk.type !== undefined) state.types = TYPE_BIT.get(rk.type)!;
  if (rk.nameKey !== undefined) state.names.push({ key: rk.nameKey, display: rk.name!, first: at, last: at, dirty: true });
  for (const id of rk.identifiers) state.identifiers.push({ kind: id.kind, value: id.value, masked: id.masked, first: at, last: at, dirty: true });
  return state;
}

function findName(state: EntityState, key: string): NameSeen | undefined {
  for (const n of state.names) if (n.key === key) return n;
  return undefined;
}

function findIdent(state: EntityState, kind: KeySource, value: string): Ident | undefined {
  for (const i of state.identifiers) if (i.value === value && i.kind === kind) return i;
  return undefined;
}

// Earliest display and widest span win, so the result does not depend on arrival order.
function absorb(into: EntityState, from: EntityState): void {
  into.uscc ??= from.uscc;
  into.org ??= from.org;
  into.reg ??= from.reg;
  into.rid ??= from.rid;
  into.types |= from.types;
  for (const seen of from.names) {
    const had = findName(into, seen.key);
    if (had === undefined) into.names.push({ ...seen, dirty: true });
    else {
      if (seen.first < had.first) {
        had.first = seen.first;
        had.display = seen.display;
        had.dirty = true;
      }
      if (had.last < seen.last) {
        had.last = seen.last;
        had.dirty = true;
      }
    }
  }
  for (const id of from.identifiers) {
    const had = findIdent(into, id.kind, id.value);
    if (had === undefined) into.identifiers.push({ ...id, dirty: true });
    else {
      if (id.first < had.first) {
        had.first = id.first;
        had.dirty = true;
      }
      if (had.last < id.last) {
        had.last = id.last;
        had.dirty = true;
      }
      had.masked ??= id.masked;
    }
  }
  into.changed = true;
  into.seen = true;
}

function clashOf(a: EntityState, b: EntityState): KeyKind | undefined {
  return CODE_KINDS.find((kind) => {
    const x = codeOf(a, kind);
    const y = codeOf(b, kind);
    return x !== undefined && y !== undefined && x !== y;
  });
}

function typesOf(state: EntityState): EntityType[] {
  const fromUscc = state.uscc === undefined ? undefined : usccEntityType(state.uscc);
  return fromUscc !== undefined ? [fromUscc] : ENTITY_TYPES.filter((t) => (state.types & TYPE_BIT.get(t)!) !== 0);
}

/** The entity's name now: the one seen last. */
function currentName(state: EntityState): NameSeen | undefined {
  let current: NameSeen | undefined;
  for (const n of state.names) if (current === undefined || current.last < n.last) current = n;
  return current;
}

export class EntityMatcher {
  // parent[id] === id for a root; ids start at 1 so 0 never names an entity.
  private readonly parent: number[] = [0];
  private readonly states: (EntityState | undefined)[] = [undefined];
  private readonly byKey: Record<KeyKind, Map<string, number>> = {
    uscc: new Map(), 'org-code': new Map(), 'reg-no': new Map(), 'resident-id': new Map(),
  };
  /** Coded entities carrying each type and name key: one, or the set of several (陈伟 is a common name). */
  private readonly carriers = new Map<string, number | Set<number>>();
  private readonly groups = new Map<string, number>();
  private readonly mergeLog: Merge[] = [];
  private readonly conflictLog: Conflict[] = [];
  private readonly reported = new Set<string>();
  // What drain() hands out next.
  private touched: number[] = [];
  private drainedMerges = 0;
  private drainedConflicts = 0;
  /** Name groups whose resolution may have moved, and what it was when last written out. */
  private readonly groupsMoved = new Set<number>();
  private readonly groupSaved = new Map<number, number>();
  /** The identifiers sameEntity found, reused record after record. */
  private readonly scratch: Ident[] = [];

  link(evidence: Evidence, source: Source): LinkResult {
    const at = pack(source);
    if (evidence.uscc !== undefined && evidence.orgCode === undefined && evidence.taxNo === undefined && evidence.regNo === undefined && evidence.residentIdHash === undefined) {
      const known = this.knownByUscc(evidence, at);
      if (known !== undefined) return known;
    }
    const rk = recordKeys(evidence);
    if (rk.keys.length > 0) {
      const known = this.sameEntity(rk, at);
      if (known !== undefined) return known;
    }
    const found: Conflict[] = [];
    const result = rk.keys.length === 0 ? this.linkByName(rk, at, found) : this.linkByCodes(rk, at, found);
    return { ...result, warnings: rk.warnings, conflicts: found };
  }

  /** The entity an id stands for now: merged ids forward to the survivor, a name group to its one carrier. */
  resolve(id: number): number {
    if (!Number.isInteger(id) || id < 1 || id >= this.parent.length) throw new RangeError(`no entity ${id}`);
    const root = this.root(id);
    const group = this.states[root]?.group;
    if (group !== undefined) {
      const carriers = this.carriers.get(group);
      if (typeof carriers === 'number') return carriers;
    }
    return root;
  }

  /** The ids issued so far: the next one is `size + 1`. */
  get size(): number {
    return this.parent.length - 1;
  }

  merges(): readonly Merge[] {
    return this.mergeLog;
  }

  /** Refusals and name conflicts as logged, and name-only records that stand apart now. */
  conflicts(): Conflict[] {
    const standing: Conflict[] = [];
    for (const [key, group] of this.groups) {
      const carriers = this.carriersOf(key);
      if (carriers.length > 1) standing.push(this.ambiguous(groupName(key), group, carriers));
    }
    return [...this.conflictLog.filter((c) => c.kind !== 'ambiguous-name'), ...standing];
  }

  entities(): EntityView[] {
    const views: EntityView[] = [];
    for (let id = 1; id < this.states.length; id++) {
      const state = this.states[id];
      if (state !== undefined && this.resolve(id) === id) views.push(this.view(id, state));
    }
    return views;
  }

  /**
   * Everything changed since the last drain, for the warehouse to write in the same transaction
   * as the records linked meanwhile. After a rollback the matcher no longer matches the
   * warehouse: build a new one from it.
   */
  drain(): RegistryChanges {
    const changes: RegistryChanges = { entities: [], names: [], identifiers: [], merges: [], conflicts: [] };
    const done = new Set<number>();
    for (const id of this.touched) {
      if (done.has(id)) continue;
      done.add(id);
      const state = this.states[id];
      if (state === undefined) {
        // Merged away: only the forward is written; its rows now belong to the survivor.
        changes.entities.push({ id, statedTypes: [], nameOnly: false, mergedInto: this.parent[id]! });
        continue;
      }
      if (state.changed || this.groupsMoved.has(id)) changes.entities.push(this.stored(id, state));
      if (state.seen) {
        for (const n of state.names) {
          if (!n.dirty) continue;
          n.dirty = false;
          changes.names.push({ entity: id, key: n.key, name: n.display, first: unpack(n.first), last: unpack(n.last) });
        }
        for (const i of state.identifiers) {
          if (!i.dirty) continue;
          i.dirty = false;
          const row: StoredIdentifier = { entity: id, kind: i.kind, value: i.value, holds: this.holds(id, i), firstSeen: unpack(i.first), lastSeen: unpack(i.last) };
          if (i.masked !== undefined) row.masked = i.masked;
          changes.identifiers.push(row);
        }
      }
      state.changed = false;
      state.seen = false;
    }
    for (const id of this.groupsMoved) {
      if (done.has(id)) continue;
      const state = this.states[id];
      if (state !== undefined && this.groupSaved.get(id) !== this.resolve(id)) changes.entities.push(this.stored(id, state));
    }
    for (const e of changes.entities) if (e.nameOnly) this.groupSaved.set(e.id, e.resolvedTo ?? e.id);
    this.groupsMoved.clear();
    this.touched = [];
    changes.merges = this.mergeLog.slice(this.drainedMerges);
    changes.conflicts = this.conflictLog.slice(this.drainedConflicts);
    this.drainedMerges = this.mergeLog.length;
    this.drainedConflicts = this.conflictLog.length;
    return changes;
  }

  /**
   * Rebuilds the registry from what the warehouse stored: every entity first (in any order),
   * then their names and identifiers, then `settle()`. A restored matcher links as the one that
   * wrote the rows would have.
   */
  restoreEntity(e: StoredEntity): void {
    while (this.parent.length <= e.id) {
      this.parent.push(this.parent.length);
      this.states.push(undefined);
    }
    if (e.mergedInto !== undefined) {
      this.parent[e.id] = e.mergedInto;
      return;
    }
    const state = blankState();
    state.changed = false;
    state.seen = false;
    for (const t of e.statedTypes) state.types |= TYPE_BIT.get(t) ?? 0;
    if (e.nameOnly && e.type !== undefined && e.nameKey !== undefined) {
      state.group = groupKey(e.type, e.nameKey);
      this.groups.set(state.group, e.id);
      this.groupSaved.set(e.id, e.resolvedTo ?? e.id);
    }
    this.states[e.id] = state;
  }

  restoreName(n: StoredName): void {
    this.stateFor(n.entity).names.push({ key: n.key, display: n.name, first: pack(n.first), last: pack(n.last), dirty: false });
  }

  restoreIdentifier(i: StoredIdentifier): void {
    const state = this.stateFor(i.entity);
    state.identifiers.push({ kind: i.kind, value: i.value, masked: i.masked, first: pack(i.firstSeen), last: pack(i.lastSeen), dirty: false });
    if (i.kind === 'tax-no' || (i.kind === 'reg-no' && !REG_NO_KEY.test(i.value))) return;
    setCode(state, i.kind, i.value);
    if (i.holds) this.byKey[i.kind].set(i.value, i.entity);
  }

  /** Ends a restore: registers which entities carry which names. */
  settle(): void {
    for (let id = 1; id < this.states.length; id++) {
      const state = this.states[id];
      if (state !== undefined && state.group === undefined) this.register(id);
    }
  }

  private stateFor(id: number): EntityState {
    const state = this.states[id];
    if (state === undefined) throw new RangeError(`entity ${id} is not stored, or was merged into another`);
    return state;
  }

  private holds(id: number, i: Ident): boolean {
    if (i.kind === 'tax-no') return false;
    const hit = this.byKey[i.kind].get(i.value);
    return hit !== undefined && this.root(hit) === id;
  }

  private stored(id: number, state: EntityState): StoredEntity {
    const current = currentName(state);
    const types = typesOf(state);
    const e: StoredEntity = { id, statedTypes: ENTITY_TYPES.filter((t) => (state.types & TYPE_BIT.get(t)!) !== 0), nameOnly: state.group !== undefined };
    if (types[0] !== undefined) e.type = types[0];
    if (current !== undefined) {
      e.name = current.display;
      e.nameKey = current.key;
    }
    if (state.uscc !== undefined) e.uscc = state.uscc;
    if (state.group !== undefined) {
      const to = this.resolve(id);
      if (to !== id) e.resolvedTo = to;
    }
    return e;
  }

  private touch(id: number): void {
    this.touched.push(id);
  }

  /**
   * A record whose every key already names one entity that knows its name, type and identifiers
   * changes nothing but sightings; anything else (a new key, a second entity, a new name) is left
   * to linkByCodes.
   */
  private sameEntity(rk: RecordKeys, at: number): LinkResult | undefined {
    let root = 0;
    for (const key of rk.keys) {
      const hit = this.byKey[key.kind].get(key.value);
      if (hit === undefined) return undefined;
      const r = this.root(hit);
      if (root === 0) root = r;
      else if (r !== root) return undefined;
    }
    const state = this.states[root]!;
    if (rk.type !== undefined && (state.types & TYPE_BIT.get(rk.type)!) === 0) return undefined;
    const name = rk.nameKey === undefined ? undefined : findName(state, rk.nameKey);
    if (rk.nameKey !== undefined && (name === undefined || (state.uscc !== undefined && state.names.length > 1))) return undefined;
    const found = this.scratch;
    const n = rk.identifiers.length;
    for (let k = 0; k < n; k++) {
      const id = rk.identifiers[k]!;
      const i = findIdent(state, id.kind, id.value);
      if (i === undefined) return undefined;
      found[k] = i;
    }

    for (let k = 0; k < n; k++) found[k]!.masked ??= rk.identifiers[k]!.masked;
    this.sight(root, state, at, name, rk.name, found, n);
    const link = rk.keys[0]!;
    return { entityId: root, rule: link.from, evidence: link.value, warnings: rk.warnings, conflicts: NONE as Conflict[] };
  }

  /**
   * The commonest record of all, a USCC and nothing else to match on, about an entity that knows
   * it, its name and its type already: what recordKeys and sameEntity conclude, without building
   * the record's keys. Anything else (a type the USCC contradicts, a new name) goes the long way.
   */
  private knownByUscc(e: Evidence, at: number): LinkResult | undefined {
    const uscc = e.uscc!;
    const hit = this.byKey.uscc.get(uscc);
    if (hit === undefined) return undefined;
    const root = this.root(hit);
    const org = embeddedOrgCode(uscc);
    const orgHit = this.byKey['org-code'].get(org);
    if (orgHit === undefined || this.root(orgHit) !== root) return undefined;
    const usccType = usccEntityType(uscc);
    if (e.type !== undefined && usccType !== undefined && e.type !== usccType) return undefined;
    const type = usccType ?? e.type;
    const state = this.states[root]!;
    if (type !== undefined && (state.types & TYPE_BIT.get(type)!) === 0) return undefined;
    const key = e.nameKey ?? (e.name === undefined ? undefined : keyOfName(e.name));
    const nameKey = key === '' ? undefined : key;
    const name = nameKey === undefined ? undefined : findName(state, nameKey);
    if (nameKey !== undefined && (name === undefined || state.names.length > 1)) return undefined;
    const found = this.scratch;
    const u = findIdent(state, 'uscc', uscc);
    const o = findIdent(state, 'org-code', org);
    if (u === undefined || o === undefined) return undefined;
    found[0] = u;
    found[1] = o;
    this.sight(root, state, at, name, e.name ?? key, found, 2);
    return { entityId: root, rule: 'uscc', evidence: uscc, warnings: NO_WARNINGS as string[], conflicts: NONE as Conflict[] };
  }

  /** A record of a known entity seen at `at`: its name's and identifiers' first and last sightings move. */
  private sight(root: number, state: EntityState, at: number, name: NameSeen | undefined, display: string | undefined, idents: readonly Ident[], n: number): void {
    if (name !== undefined) {
      if (at < name.first) {
        name.first = at;
        name.display = display!;
        name.dirty = true;
      }
      if (name.last < at) {
        name.last = at;
        name.dirty = true;
      }
    }
    for (let k = 0; k < n; k++) {
      const i = idents[k]!;
      if (at < i.first) {
        i.first = at;
        i.dirty = true;
      }
      if (i.last < at) {
        i.last = at;
        i.dirty = true;
      }
    }
    if (!state.seen) {
      state.seen = true;
      this.touch(root);
    }
  }

  private linkByCodes(rk: RecordKeys, at: number, found: Conflict[]): Omit<LinkResult, 'warnings' | 'conflicts'> {
    const pending = stateOf(rk, at);
    let target: number | undefined;
    let link: MatchKey | undefined;
    const refused: { clash: KeyKind; key: MatchKey; root: number }[] = [];
    for (const key of rk.keys) {
      const hit = this.byKey[key.kind].get(key.value);
      if (hit === undefined) continue;
      const root = this.root(hit);
      if (root === target) continue;
      const clash = clashOf(target === undefined ? pending : this.states[target]!, this.states[root]!);
      if (clash !== undefined) {
        refused.push({ clash, key, root });
        continue;
      }
      if (target === undefined) {
        this.unregister(root);
        absorb(this.states[root]!, pending);
        target = root;
        link = key;
      } else {
        target = this.merge(target, root, key);
      }
    }
    target ??= this.create(pending);
    this.touch(target);
    for (const { clash, key, root } of refused) this.report(found, this.clashConflict(clash, key, [Math.min(target, root), Math.max(target, root)]));
    for (const key of rk.keys) if (!this.byKey[key.kind].has(key.value)) this.byKey[key.kind].set(key.value, target);
    this.checkNames(target, this.register(target), found);
    return link === undefined ? { entityId: target, rule: 'new' } : { entityId: target, rule: link.from, evidence: link.value };
  }

  private linkByName(rk: RecordKeys, at: number, found: Conflict[]): Omit<LinkResult, 'warnings' | 'conflicts'> {
    if (rk.type === undefined || rk.nameKey === undefined) {
      rk.warnings.push('no identifier, and no name and type to match on: an entity of its own');
      const id = this.create(stateOf(rk, at));
      this.touch(id);
      return { entityId: id, rule: 'new' };
    }
    const key = groupKey(rk.type, rk.nameKey);
    let group = this.groups.get(key);
    const existed = group !== undefined;
    if (group === undefined) {
      const state = stateOf(rk, at);
      state.group = key;
      group = this.create(state);
      this.groups.set(key, group);
    } else {
      absorb(this.states[group]!, stateOf(rk, at));
    }
    this.touch(group);
    const carriers = this.carriers.get(key);
    if (typeof carriers === 'number') return { entityId: carriers, rule: 'name', evidence: rk.nameKey };
    if (carriers !== undefined) this.report(found, this.ambiguous(rk.nameKey, group, this.carriersOf(key)));
    return existed ? { entityId: group, rule: 'name', evidence: rk.nameKey } : { entityId: group, rule: 'new' };
  }

  private root(id: number): number {
    let root = id;
    while (this.parent[root] !== root) root = this.parent[root]!;
    while (this.parent[id] !== root) {
      const next = this.parent[id]!;
      this.parent[id] = root;
      id = next;
    }
    return root;
  }

  private create(state: EntityState): number {
    const id = this.parent.length;
    this.parent.push(id);
    this.states.push(state);
    return id;
  }

  /** The older id survives, so an id once handed out keeps naming the entity it was issued for. */
  private merge(a: number, b: number, key: MatchKey): number {
    const into = Math.min(a, b);
    const from = Math.max(a, b);
    this.unregister(into);
    this.unregister(from);
    absorb(this.states[into]!, this.states[from]!);
    this.states[from] = undefined;
    this.parent[from] = into;
    this.touch(from);
    this.touch(into);
    this.mergeLog.push({ from, into, evidence: { kind: key.kind, value: key.value } });
    return into;
  }

  private carriersOf(key: string): number[] {
    const c = this.carriers.get(key);
    return c === undefined ? [] : typeof c === 'number' ? [c] : [...c].sort((a, b) => a - b);
  }

  /** The name groups an entity carries, from its types and names as they are now. */
  private carriedBy(state: EntityState): string[] {
    const keys: string[] = [];
    for (const type of typesOf(state)) for (const n of state.names) keys.push(groupKey(type, n.key));
    return keys;
  }

  private groupMoved(key: string): void {
    const group = this.groups.get(key);
    if (group !== undefined) this.groupsMoved.add(group);
  }

  /**
   * Which coded entities carry a type and name decides where name-only records resolve. Returns
   * the name groups the entity shares with another carrier: where conflicts may be.
   */
  private register(id: number): string[] {
    const shared: string[] = [];
    for (const key of this.carriedBy(this.states[id]!)) {
      const c = this.carriers.get(key);
      if (c === undefined) this.carriers.set(key, id);
      else if (typeof c === 'number') {
        if (c !== id) this.carriers.set(key, new Set([c, id]));
      } else c.add(id);
      if (c !== undefined && c !== id) shared.push(key);
      this.groupMoved(key);
    }
    return shared;
  }

  // Called before an entity's names or types change: what it carried is worked out from them.
  private unregister(id: number): void {
    for (const key of this.carriedBy(this.states[id]!)) {
      const c = this.carriers.get(key);
      if (c === undefined) continue;
      if (typeof c === 'number') {
        if (c === id) this.carriers.delete(key);
      } else {
        c.delete(id);
        if (c.size === 1) this.carriers.set(key, c.values().next().value!);
      }
      this.groupMoved(key);
    }
  }

  private checkNames(id: number, shared: readonly string[], found: Conflict[]): void {
    const state = this.states[id]!;
    const uscc = state.uscc;
    if (uscc !== undefined) {
      const names = state.names;
      for (let i = 0; i < names.length; i++) {
        for (let j = i + 1; j < names.length; j++) {
          const a = names[i]!;
          const b = names[j]!;
          if (fileOf(a.first) <= fileOf(b.last) && fileOf(b.first) <= fileOf(a.last)) {
            // Names in a fixed order: the same conflict reads the same whatever order names were stored in.
            const [x, y] = [a.key, b.key].sort();
            this.report(found, { kind: 'uscc-names', value: uscc, entities: [id], detail: `names "${x}" and "${y}" appear in the same or interleaved deliveries: not a rename` });
          }
        }
      }
    }
    for (const key of shared) {
      const group = this.groups.get(key);
      // Two carriers without USCCs (people of one name) are no conflict until a record has only the name.
      if (uscc === undefined && group === undefined) continue;
      const carriers = this.carriersOf(key);
      const name = groupName(key);
      const usccs = new Set(carriers.map((c) => this.states[c]!.uscc).filter((u) => u !== undefined));
      if (usccs.size > 1) {
        this.report(found, { kind: 'name-usccs', value: name, entities: carriers, detail: `one name held by ${carriers.length} entities, with ${usccs.size} different USCCs among them` });
      }
      if (group !== undefined) this.report(found, this.ambiguous(name, group, carriers));
    }
  }

  private ambiguous(name: string, group: number, carriers: number[]): Conflict {
    return { kind: 'ambiguous-name', value: name, entities: [group, ...carriers], detail: `records with only this name stay apart: ${carriers.length} entities carry it` };
  }

  private clashConflict(clash: KeyKind, key: MatchKey, entities: number[]): Conflict {
    const legacy = clash === 'uscc' && (key.kind === 'org-code' || key.kind === 'reg-no');
    return {
      kind: legacy ? 'legacy-usccs' : 'code-clash',
      value: key.value,
      entities,
      detail: `${key.kind} links to an entity with a different ${clash}: not merged`,
    };
  }

  private report(found: Conflict[], conflict: Conflict): void {
    found.push(conflict);
    // Logged for the registry (drain) as seen; conflicts() works out the standing ambiguous names
    // afresh, since whether name-only records stand apart changes with every merge.
    const key = `${conflict.kind}\u0000${conflict.value}\u0000${conflict.entities.join(',')}\u0000${conflict.detail}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.conflictLog.push(conflict);
  }

  private view(id: number, state: EntityState): EntityView {
    const names = [...state.names].sort((a, b) => a.last - b.last);
    const current = names.pop();
    const view: EntityView = {
      id,
      formerNames: names.map((n) => n.display),
      identifiers: state.identifiers.map((i) => {
        const out: EntityIdentifier = { kind: i.kind, value: i.value, firstSeen: unpack(i.first), lastSeen: unpack(i.last) };
        if (i.masked !== undefined) out.masked = i.masked;
        return out;
      }).sort((a, b) => IDENTIFIER_ORDER.indexOf(a.kind) - IDENTIFIER_ORDER.indexOf(b.kind) || (a.value < b.value ? -1 : 1)),
    };
    const type = typesOf(state)[0];
    if (type !== undefined) view.type = type;
    if (current !== undefined) view.name = current.display;
    if (state.uscc !== undefined) view.uscc = state.uscc;
    return view;
  }
}
