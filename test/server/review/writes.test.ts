import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  coalescingWrites,
  insertRows,
  isolatedSequence,
  isUniqueViolation,
  openPglite,
  type Database,
  type Queryable,
  type QueryOptions,
} from '../../../server/src/db/database';

/**
 * The database facilities a push's mutations run on: writes sent together (coalescingWrites),
 * prepared statements on PGlite, and savepoints released together with the next one.
 */
let db: Database;

beforeAll(async () => {
  db = await openPglite();
  await db.exec(`
    CREATE TABLE things (id int PRIMARY KEY, state text NOT NULL, at timestamptz, big int8,
                         details jsonb, tags uuid[]);
    CREATE TABLE notes (id int PRIMARY KEY, thing_id int NOT NULL REFERENCES things (id),
                        body text NOT NULL);
  `);
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.exec('DELETE FROM notes; DELETE FROM things');
});

/** A transaction's Queryable that records what reaches the database. */
function recording(tx: Queryable): { tx: Queryable; sent: string[]; prepared: boolean[] } {
  const sent: string[] = [];
  const prepared: boolean[] = [];
  return {
    sent,
    prepared,
    tx: {
      query: <Row extends object>(
        sql: string,
        params?: readonly unknown[],
        options?: QueryOptions,
      ) => {
        sent.push(sql);
        prepared.push(options?.prepare === true);
        return tx.query<Row>(sql, params, options);
      },
      exec: (sql) => {
        sent.push(sql);
        prepared.push(false);
        return tx.exec(sql);
      },
    },
  };
}

describe('coalescingWrites', () => {
  it('sends plain writes to different tables as one statement, before the next read', async () => {
    await db.transaction(async (raw) => {
      const { tx, sent } = recording(raw);
      const writes = coalescingWrites(tx);
      await writes.query('INSERT INTO things (id, state) VALUES ($1, $2)', [1, 'new']);
      await writes.query('INSERT INTO notes (id, thing_id, body) VALUES ($1, $2, $3)', [
        1,
        1,
        'hello',
      ]);
      expect(sent).toEqual([]);
      const rows = await writes.query<{ state: string; body: string }>(
        'SELECT things.state, notes.body FROM things JOIN notes ON notes.thing_id = things.id',
      );
      expect(rows).toEqual([{ state: 'new', body: 'hello' }]);
      expect(sent).toHaveLength(2);
      expect(sent[0]).toMatch(/^WITH w1 AS \(INSERT INTO things .*\) INSERT INTO notes/s);
    });
  });

  it('flushes before a write to a table that already has one waiting, so it sees it', async () => {
    await db.transaction(async (raw) => {
      const { tx, sent } = recording(raw);
      const writes = coalescingWrites(tx);
      await writes.query('INSERT INTO things (id, state) VALUES ($1, $2)', [1, 'new']);
      await writes.query('UPDATE things SET state = $2 WHERE id = $1', [1, 'claimed']);
      await writes.flush();
      expect(sent).toHaveLength(2);
      expect(await raw.query('SELECT state FROM things WHERE id = 1')).toEqual([
        { state: 'claimed' },
      ]);
    });
  });

  it('lets INSERTs into one table share a statement, with renumbered parameters', async () => {
    await db.transaction(async (raw) => {
      const { tx, sent } = recording(raw);
      const writes = coalescingWrites(tx);
      for (const id of [1, 2, 3]) {
        await writes.query('INSERT INTO things (id, state, big) VALUES ($1, $2, $3)', [
          id,
          `s${id}`,
          id * 10,
        ]);
      }
      await writes.flush();
      expect(sent).toHaveLength(1);
      expect(await raw.query('SELECT id, state, big FROM things ORDER BY id')).toEqual([
        { id: 1, state: 's1', big: 10 },
        { id: 2, state: 's2', big: 20 },
        { id: 3, state: 's3', big: 30 },
      ]);
    });
  });

  it('runs at once what returns rows, reads or cannot be renumbered safely', async () => {
    await db.transaction(async (raw) => {
      const { tx, sent } = recording(raw);
      const writes = coalescingWrites(tx);
      const returned = await writes.query<{ id: number }>(
        'INSERT INTO things (id, state) VALUES ($1, $2) RETURNING id',
        [1, 'new'],
      );
      expect(returned).toEqual([{ id: 1 }]);
      await writes.query("UPDATE things SET state = 'cost $1' WHERE id = $1", [1]);
      await writes.query(
        'INSERT INTO notes (id, thing_id, body) SELECT $1, id, state FROM things WHERE id = $2',
        [1, 1],
      );
      expect(sent).toHaveLength(3);
    });
  });

  it('raises a waiting write’s error at the flush, where the unit of work can roll it back', async () => {
    await db.transaction(async (raw) => {
      await raw.query('INSERT INTO things (id, state) VALUES (1, $1)', ['old']);
      const sequence = isolatedSequence(raw);
      const attempt = await sequence.run(async () => {
        const writes = coalescingWrites(raw);
        await writes.query('UPDATE things SET state = $2 WHERE id = $1', [1, 'changed']);
        await writes.query('INSERT INTO notes (id, thing_id, body) VALUES ($1, $2, $3)', [
          1,
          1,
          'x',
        ]);
        await writes.query('INSERT INTO notes (id, thing_id, body) VALUES ($1, $2, $3)', [
          1,
          1,
          'duplicate id',
        ]);
        await writes.flush();
      });
      expect(attempt.ok).toBe(false);
      expect(!attempt.ok && isUniqueViolation(attempt.error, 'notes_pkey')).toBe(true);
      await sequence.finish();
      expect(await raw.query('SELECT state FROM things')).toEqual([{ state: 'old' }]);
      expect(await raw.query('SELECT * FROM notes')).toEqual([]);
    });
  });

  it('passes `prepare` on to every statement it sends', async () => {
    await db.transaction(async (raw) => {
      const { tx, prepared } = recording(raw);
      const writes = coalescingWrites(tx, { prepare: true });
      await writes.query('INSERT INTO things (id, state) VALUES ($1, $2)', [1, 'new']);
      await writes.query('SELECT state FROM things WHERE id = $1', [1]);
      await writes.exec('SELECT 1');
      expect(prepared).toEqual([true, true, false]);
    });
  });
});

describe('prepared statements (PGlite)', () => {
  const select = 'SELECT id, state, at, big, details, tags FROM things WHERE id = ANY($1::int[])';

  it('return the same values as unprepared statements, on every run', async () => {
    await db.transaction(async (tx) => {
      const tag = '6f1c1f0e-5b7e-4d55-9d3b-2b0b7a2e8c11';
      const insert =
        'INSERT INTO things (id, state, at, big, details, tags) VALUES ($1, $2, $3, $4, $5, $6)';
      await tx.query(insert, [1, 'a', '2026-01-02T03:04:05.678Z', 2 ** 40, '{"k":[1]}', [tag]], {
        prepare: true,
      });
      await tx.query(insert, [2, 'b', null, null, null, null], { prepare: true });
      const plain = await tx.query(select, [[1, 2]]);
      for (let run = 0; run < 7; run++) {
        // Past the fifth run PostgreSQL may switch to a generic plan; the answer must not change.
        expect(await tx.query(select, [[1, 2]], { prepare: true })).toEqual(plain);
      }
      expect(plain).toEqual([
        {
          id: 1,
          state: 'a',
          at: '2026-01-02T03:04:05.678Z',
          big: 2 ** 40,
          details: { k: [1] },
          tags: [tag],
        },
        { id: 2, state: 'b', at: null, big: null, details: null, tags: null },
      ]);
    });
  });

  it('fail like unprepared ones: SQLSTATE and constraint, and the savepoint rolls back', async () => {
    await db.transaction(async (tx) => {
      const insert = 'INSERT INTO things (id, state) VALUES ($1, $2)';
      await tx.query(insert, [1, 'a'], { prepare: true });
      const sequence = isolatedSequence(tx);
      const attempt = await sequence.run(() => tx.query(insert, [1, 'again'], { prepare: true }));
      expect(!attempt.ok && isUniqueViolation(attempt.error, 'things_pkey')).toBe(true);
      const next = await sequence.run(() => tx.query(insert, [2, 'b'], { prepare: true }));
      expect(next.ok).toBe(true);
      await sequence.finish();
      expect(await tx.query('SELECT id FROM things ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    });
  });
});

describe('insertRows', () => {
  it('writes every value as given, whatever characters it holds', async () => {
    const awkward = ['NULL', 'a "quoted", {braced} \\ back\\slash', '', '中文 ✓', "it's"];
    const rows = awkward.map((state, index) => [
      index + 1,
      state,
      index === 0 ? null : '2026-01-02T03:04:05.678Z',
      index === 1 ? 2 ** 40 : null,
      JSON.stringify({ text: state, n: index }),
    ]);
    await db.transaction(async (tx) => {
      await insertRows(
        tx,
        'things',
        [
          { name: 'id', type: 'int' },
          { name: 'state', type: 'text' },
          { name: 'at', type: 'timestamptz' },
          { name: 'big', type: 'int8' },
          { name: 'details', type: 'jsonb' },
        ],
        rows,
      );
    });
    expect(await db.query('SELECT id, state, at, big, details FROM things ORDER BY id')).toEqual(
      rows.map(([id, state, at, big], index) => ({
        id,
        state,
        at,
        big,
        details: { text: awkward[index], n: index },
      })),
    );
  });
});

describe('isolatedSequence', () => {
  it('keeps kept bodies and what runs between them, drops only a failed body', async () => {
    await db.transaction(async (raw) => {
      const { tx, sent } = recording(raw);
      const sequence = isolatedSequence(tx);
      const insert = (id: number) =>
        tx.query('INSERT INTO things (id, state) VALUES ($1, $2)', [id, `s${id}`]);
      expect((await sequence.run(() => insert(1))).ok).toBe(true);
      await insert(2); // between two bodies: kept with the first
      const failed = await sequence.run(async () => {
        await insert(3);
        throw new Error('not applied');
      });
      expect(failed.ok).toBe(false);
      await insert(4); // after a rolled-back body: outside any savepoint
      expect((await sequence.run(() => insert(5))).ok).toBe(true);
      const failedAgain = await sequence.run(async () => {
        await insert(6);
        throw new Error('not applied');
      });
      expect(failedAgain.ok).toBe(false);
      await sequence.finish();
      expect(await raw.query('SELECT id FROM things ORDER BY id')).toEqual([
        { id: 1 },
        { id: 2 },
        { id: 4 },
        { id: 5 },
      ]);
      expect(sent.filter((sql) => sql.includes('SAVEPOINT'))).toEqual([
        'SAVEPOINT isolated',
        'RELEASE SAVEPOINT isolated; SAVEPOINT isolated',
        'ROLLBACK TO SAVEPOINT isolated; RELEASE SAVEPOINT isolated',
        'SAVEPOINT isolated',
        'RELEASE SAVEPOINT isolated; SAVEPOINT isolated',
        'ROLLBACK TO SAVEPOINT isolated; RELEASE SAVEPOINT isolated',
      ]);
    });
  });
});
