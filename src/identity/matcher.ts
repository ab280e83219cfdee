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
import { ENTITY_TYPES, type EntityType } from '../catalog/index.js';
import { recordKeys, usccEntityType, type Evidence, type KeyKind, type KeySource, type MatchKey, type RecordKeys } from './evidence.js';

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

interface NameSeen {
  display: string;
  first: Source;
  last: Source;
}

interface EntityState {
  codes: Partial<Record<KeyKind, string>>;
  statedTypes: Set<EntityType>;
  names: Map<string, NameSeen>;
  identifiers: Map<string, EntityIdentifier>;
  /** Set on the entity of name-only records: the type and name key they share. */
  group?: string;
  /** The name groups this coded entity is registered as a carrier of. */
  carried: string[];
}

const CODE_KINDS: readonly KeyKind[] = ['uscc', 'org-code', 'reg-no', 'resident-id'];
const IDENTIFIER_ORDER: readonly KeySource[] = ['uscc', 'org-code', 'tax-no', 'reg-no', 'resident-id'];

const before = (a: Source, b: Source): boolean => a.file < b.file || (a.file === b.file && a.row < b.row);
const groupKey = (type: EntityType, nameKey: string): string => `${type}\u0000${nameKey}`;
const groupName = (key: string): string => key.slice(key.indexOf('\u0000') + 1);
const keyId = (key: MatchKey): string => `${key.kind}\u0000${key.value}`;

function stateOf(rk: RecordKeys, source: Source): EntityState {
  const state: EntityState = { codes: {}, statedTypes: new Set(), names: new Map(), identifiers: new Map(), carried: [] };
  for (const key of rk.keys) state.codes[key.kind] = key.value;
  if (rk.type !== undefined) state.statedTypes.add(rk.type);
  if (rk.nameKey !== undefined) state.names.set(rk.nameKey, { display: rk.name!, first: source, last: source });
  for (const id of rk.identifiers) {
    state.identifiers.set(`${id.kind}\u0000${id.value}`, { kind: id.kind, value: id.value, firstSeen: source, lastSeen: source });
  }
  return state;
}

// Earliest display and widest span win, so the result does not depend on arrival order.
function absorb(into: EntityState, from: EntityState): void {
  for (const kind of CODE_KINDS) into.codes[kind] ??= from.codes[kind];
  for (const type of from.statedTypes) into.statedTypes.add(type);
  for (const [key, seen] of from.names) {
    const had = into.names.get(key);
    if (had === undefined) into.names.set(key, { ...seen });
    else {
      if (before(seen.first, had.first)) {
        had.first = seen.first;
        had.display = seen.display;
      }
      if (before(had.last, seen.last)) had.last = seen.last;
    }
  }
  for (const [key, id] of from.identifiers) {
    const had = into.identifiers.get(key);
    if (had === undefined) into.identifiers.set(key, { ...id });
    else {
      if (before(id.firstSeen, had.firstSeen)) had.firstSeen = id.firstSeen;
      if (before(had.lastSeen, id.lastSeen)) had.lastSeen = id.lastSeen;
    }
  }
}

function clashOf(a: EntityState, b: EntityState): KeyKind | undefined {
  return CODE_KINDS.find((kind) => a.codes[kind] !== undefined && b.codes[kind] !== undefined && a.codes[kind] !== b.codes[kind]);
}

function typesOf(state: EntityState): EntityType[] {
  const fromUscc = state.codes.uscc === undefined ? undefined : usccEntityType(state.codes.uscc);
  return fromUscc !== undefined ? [fromUscc] : ENTITY_TYPES.filter((t) => state.statedTypes.has(t));
}

export class EntityMatcher {
  // parent[id] === id for a root; ids start at 1 so 0 never names an entity.
  private readonly parent: number[] = [0];
  private readonly states = new Map<number, EntityState>();
  private readonly byKey = new Map<string, number>();
  private readonly carriers = new Map<string, Set<number>>();
  private readonly groups = new Map<string, number>();
  private readonly mergeLog: Merge[] = [];
  private readonly conflictLog: Conflict[] = [];
  private readonly reported = new Set<string>();

  link(evidence: Evidence, source: Source): LinkResult {
    const rk = recordKeys(evidence);
    const found: Conflict[] = [];
    const result = rk.keys.length === 0 ? this.linkByName(rk, source, found) : this.linkByCodes(rk, source, found);
    return { ...result, warnings: rk.warnings, conflicts: found };
  }

  /** The entity an id stands for now: merged ids forward to the survivor, a name group to its one carrier. */
  resolve(id: number): number {
    if (!Number.isInteger(id) || id < 1 || id >= this.parent.length) throw new RangeError(`no entity ${id}`);
    const root = this.root(id);
    const group = this.states.get(root)?.group;
    if (group !== undefined) {
      const carriers = this.carriers.get(group);
      if (carriers?.size === 1) return carriers.values().next().value!;
    }
    return root;
  }

  merges(): readonly Merge[] {
    return this.mergeLog;
  }

  /** Refusals and name conflicts as logged, and name-only records that stand apart now. */
  conflicts(): Conflict[] {
    const standing: Conflict[] = [];
    for (const [key, group] of this.groups) {
      const carriers = [...(this.carriers.get(key) ?? [])].sort((a, b) => a - b);
      if (carriers.length > 1) standing.push(this.ambiguous(groupName(key), group, carriers));
    }
    return [...this.conflictLog, ...standing];
  }

  entities(): EntityView[] {
    const views: EntityView[] = [];
    for (const [id, state] of this.states) {
      if (this.resolve(id) === id) views.push(this.view(id, state));
    }
    return views.sort((a, b) => a.id - b.id);
  }

  private linkByCodes(rk: RecordKeys, source: Source, found: Conflict[]): Omit<LinkResult, 'warnings' | 'conflicts'> {
    const pending = stateOf(rk, source);
    let target: number | undefined;
    let link: MatchKey | undefined;
    const refused: { clash: KeyKind; key: MatchKey; root: number }[] = [];
    for (const key of rk.keys) {
      const hit = this.byKey.get(keyId(key));
      if (hit === undefined) continue;
      const root = this.root(hit);
      if (root === target) continue;
      const clash = clashOf(target === undefined ? pending : this.states.get(target)!, this.states.get(root)!);
      if (clash !== undefined) {
        refused.push({ clash, key, root });
        continue;
      }
      if (target === undefined) {
        this.unregister(root);
        absorb(this.states.get(root)!, pending);
        target = root;
        link = key;
      } else {
        target = this.merge(target, root, key);
      }
    }
    target ??= this.create(pending);
    for (const { clash, key, root } of refused) this.report(found, this.clashConflict(clash, key, [Math.min(target, root), Math.max(target, root)]));
    for (const key of rk.keys) if (!this.byKey.has(keyId(key))) this.byKey.set(keyId(key), target);
    this.register(target);
    this.checkNames(target, found);
    return link === undefined ? { entityId: target, rule: 'new' } : { entityId: target, rule: link.from, evidence: link.value };
  }

  private linkByName(rk: RecordKeys, source: Source, found: Conflict[]): Omit<LinkResult, 'warnings' | 'conflicts'> {
    if (rk.type === undefined || rk.nameKey === undefined) {
      rk.warnings.push('no identifier, and no name and type to match on: an entity of its own');
      return { entityId: this.create(stateOf(rk, source)), rule: 'new' };
    }
    const key = groupKey(rk.type, rk.nameKey);
    let group = this.groups.get(key);
    const existed = group !== undefined;
    if (group === undefined) {
      group = this.create({ ...stateOf(rk, source), group: key });
      this.groups.set(key, group);
    } else {
      absorb(this.states.get(group)!, stateOf(rk, source));
    }
    const carriers = [...(this.carriers.get(key) ?? [])].sort((a, b) => a - b);
    if (carriers.length === 1) return { entityId: carriers[0]!, rule: 'name', evidence: rk.nameKey };
    if (carriers.length > 1) this.report(found, this.ambiguous(rk.nameKey, group, carriers));
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
    this.states.set(id, state);
    return id;
  }

  /** The older id survives, so an id once handed out keeps naming the entity it was issued for. */
  private merge(a: number, b: number, key: MatchKey): number {
    const into = Math.min(a, b);
    const from = Math.max(a, b);
    this.unregister(into);
    this.unregister(from);
    absorb(this.states.get(into)!, this.states.get(from)!);
    this.states.delete(from);
    this.parent[from] = into;
    this.mergeLog.push({ from, into, evidence: { kind: key.kind, value: key.value } });
    return into;
  }

  // Which coded entities carry a type and name decides where name-only records resolve.
  private register(id: number): void {
    const state = this.states.get(id)!;
    for (const type of typesOf(state)) {
      for (const name of state.names.keys()) {
        const key = groupKey(type, name);
        let set = this.carriers.get(key);
        if (set === undefined) this.carriers.set(key, (set = new Set()));
        set.add(id);
        state.carried.push(key);
      }
    }
  }

  private unregister(id: number): void {
    const state = this.states.get(id)!;
    for (const key of state.carried) this.carriers.get(key)?.delete(id);
    state.carried = [];
  }

  private checkNames(id: number, found: Conflict[]): void {
    const state = this.states.get(id)!;
    const uscc = state.codes.uscc;
    if (uscc !== undefined) {
      const names = [...state.names.entries()];
      for (let i = 0; i < names.length; i++) {
        for (let j = i + 1; j < names.length; j++) {
          const [a, sa] = names[i]!;
          const [b, sb] = names[j]!;
          if (sa.first.file <= sb.last.file && sb.first.file <= sa.last.file) {
            this.report(found, { kind: 'uscc-names', value: uscc, entities: [id], detail: `names "${a}" and "${b}" appear in the same or interleaved deliveries: not a rename` });
          }
        }
      }
    }
    for (const key of state.carried) {
      const carriers = [...this.carriers.get(key)!].sort((a, b) => a - b);
      if (carriers.length < 2) continue;
      const name = groupName(key);
      const usccs = new Set(carriers.map((c) => this.states.get(c)!.codes.uscc).filter((u) => u !== undefined));
      if (usccs.size > 1) {
        this.report(found, { kind: 'name-usccs', value: name, entities: carriers, detail: `one name held by ${usccs.size} entities with different USCCs` });
      }
      const group = this.groups.get(key);
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
    // Whether name-only records stand apart can change with every merge: conflicts() works it out.
    if (conflict.kind === 'ambiguous-name') return;
    const key = `${conflict.kind}\u0000${conflict.value}\u0000${conflict.entities.join(',')}\u0000${conflict.detail}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.conflictLog.push(conflict);
  }

  private view(id: number, state: EntityState): EntityView {
    const names = [...state.names.values()].sort((a, b) => (before(a.last, b.last) ? -1 : 1));
    const current = names.pop();
    const view: EntityView = {
      id,
      formerNames: names.map((n) => n.display),
      identifiers: [...state.identifiers.values()].sort(
        (a, b) => IDENTIFIER_ORDER.indexOf(a.kind) - IDENTIFIER_ORDER.indexOf(b.kind) || (a.value < b.value ? -1 : 1),
      ),
    };
    const type = typesOf(state)[0];
    if (type !== undefined) view.type = type;
    if (current !== undefined) view.name = current.display;
    if (state.codes.uscc !== undefined) view.uscc = state.codes.uscc;
    return view;
  }
}
