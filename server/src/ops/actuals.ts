import { randomUUID } from 'node:crypto';
import { addCalendarDays, fromShanghai, shanghaiDate } from '#shared/domain/time';
import {
  ActualsError,
  billableShare,
  checkWeekCells,
  dayLock,
  isActualsManager,
  isActualsMember,
  MAX_DAY_HOURS,
  monthOf,
  weekDays,
  type ActualCell,
  type ActualEntry,
  type ActualProject,
  type ActualsReport,
  type ActualsWeek,
  type ProjectType,
} from '#shared/ops/actuals';
import type { ReportRange } from '#shared/ops/kpis';
import type { Role } from '#shared/domain/roles';
import type { Database, Queryable } from '../db/database';
import type { Principal } from '../auth/principal';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../http/errors';

/**
 * Team actuals on the server (rules and the policy in shared/ops/actuals.ts): projects, a
 * member's week with the focus time recorded as a suggestion, saving a week (each change kept in
 * `actual_changes`), closing months, and the report ops read — computed in SQL.
 */

const iso = (ms: number) => new Date(ms).toISOString();
/** A timestamptz column's Shanghai calendar day. */
const shanghaiDay = (column: string) =>
  `((${column} AT TIME ZONE 'UTC') + interval '8 hours')::date`;

/** Turns a shared-rule failure into the 400 the routes answer. */
export function actualsBadRequest(error: unknown): never {
  if (error instanceof ActualsError) {
    const { code, ...details } = error.problem;
    throw badRequest(code, error.message, details);
  }
  throw error;
}

/** 403 unless the caller keeps a timesheet (staff); returns whether they manage actuals. */
export function requireActualsMember(principal: Principal): boolean {
  if (!isActualsMember(principal.role)) {
    throw forbidden('Only team members keep timesheets');
  }
  return isActualsManager(principal.role);
}

export function requireActualsManager(principal: Principal): void {
  if (!isActualsManager(principal.role)) {
    throw forbidden('Only ops managers manage projects, close months and read every timesheet');
  }
}

interface ProjectRow {
  id: string;
  name: string;
  type: ProjectType;
  active: boolean;
}

export function listProjects(db: Queryable): Promise<ActualProject[]> {
  return db.query<ProjectRow>(
    'SELECT id, name, type, active FROM actual_projects ORDER BY active DESC, type, name, id',
  );
}

export async function saveProject(
  db: Queryable,
  id: string | null,
  project: { name: string; type: ProjectType; active: boolean },
  nowMs: number,
): Promise<ActualProject> {
  const taken = await db.query<{ id: string }>(
    'SELECT id FROM actual_projects WHERE lower(name) = lower($1) AND id IS DISTINCT FROM $2',
    [project.name, id],
  );
  if (taken.length > 0) {
    throw conflict('PROJECT_NAME_TAKEN', `A project is already named ${project.name}`, {
      name: project.name,
    });
  }
  const rows =
    id === null
      ? await db.query<ProjectRow>(
          `INSERT INTO actual_projects (id, name, type, active, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $5) RETURNING id, name, type, active`,
          [randomUUID(), project.name, project.type, project.active, iso(nowMs)],
        )
      : await db.query<ProjectRow>(
          `UPDATE actual_projects SET name = $2, type = $3, active = $4, updated_at = $5
            WHERE id = $1 RETURNING id, name, type, active`,
          [id, project.name, project.type, project.active, iso(nowMs)],
        );
  const [row] = rows;
  if (row === undefined) {
    throw notFound('The project');
  }
  return row;
}

/** The member a timesheet is of: the caller, or (ops managers only) anyone with a timesheet. */
export async function timesheetMember(
  db: Queryable,
  principal: Principal,
  memberId: string | undefined,
): Promise<{ id: string; displayName: string; manager: boolean }> {
  const manager = requireActualsMember(principal);
  if (memberId === undefined || memberId === principal.id) {
    return { id: principal.id, displayName: principal.displayName, manager };
  }
  if (!manager) {
    throw forbidden('Members read and write only their own timesheet');
  }
  const [row] = await db.query<{ id: string; display_name: string; role: Role }>(
    'SELECT id, display_name, role FROM users WHERE id::text = $1',
    [memberId],
  );
  if (row === undefined || !isActualsMember(row.role)) {
    throw notFound('The team member');
  }
  return { id: row.id, displayName: row.display_name, manager };
}

async function closedMonths(db: Queryable, months: readonly string[]): Promise<Set<string>> {
  const rows = await db.query<{ month: string }>(
    'SELECT month FROM actual_closed_months WHERE month = ANY($1::text[])',
    [[...new Set(months)]],
  );
  return new Set(rows.map((row) => row.month));
}

export async function readWeek(
  db: Queryable,
  member: { id: string; displayName: string },
  monday: string,
  nowMs: number,
  manager: boolean,
): Promise<ActualsWeek> {
  const days = weekDays(monday);
  const sunday = days[6] ?? monday;
  const today = shanghaiDate(nowMs);
  const entries = await db.query<ActualEntry>(
    `SELECT project_id AS "projectId", day::text AS day, hours::float8 AS hours, note,
            updated_by AS "updatedBy", updated_at AS "updatedAt"
       FROM actual_entries WHERE user_id = $1 AND day BETWEEN $2::date AND $3::date
      ORDER BY day, project_id`,
    [member.id, monday, sunday],
  );
  const recorded = await db.query<{ day: string; hours: number }>(
    `SELECT ${shanghaiDay('started_at')}::text AS day, sum(seconds)::float8 / 3600 AS hours
       FROM time_entries WHERE user_id = $1 AND started_at >= $2 AND started_at < $3
      GROUP BY 1 ORDER BY 1`,
    [member.id, iso(fromShanghai(monday)), iso(fromShanghai(addCalendarDays(sunday, 1)))],
  );
  const closed = await closedMonths(db, days.map(monthOf));
  return {
    memberId: member.id,
    memberName: member.displayName,
    monday,
    days,
    projects: await listProjects(db),
    entries: entries.map((entry) => ({ ...entry, updatedAt: iso(Date.parse(entry.updatedAt)) })),
    recorded,
    editable: days.map((day) => ({ day, lock: dayLock(day, today, closed, manager) })),
    today,
  };
}

/**
 * Saves the given cells of a member's week (0 hours removes an entry; cells not given stay as
 * they are) in one transaction: every cell's day must be writable by the caller, its project
 * active (or already holding hours there), and no day over 24 hours in all. Each real change is
 * recorded in `actual_changes`; an ops manager changing someone else's timesheet gives a reason.
 */
export async function saveWeek(
  db: Database,
  principal: Principal,
  member: { id: string; displayName: string; manager: boolean },
  monday: string,
  cells: readonly ActualCell[],
  reason: string,
  nowMs: number,
): Promise<ActualsWeek> {
  try {
    checkWeekCells(monday, cells);
  } catch (error) {
    actualsBadRequest(error);
  }
  const correcting = member.id !== principal.id;
  if (correcting && reason.trim() === '') {
    throw badRequest(
      'REASON_REQUIRED',
      "Changing another member's timesheet needs a reason (kept in the audit trail)",
    );
  }
  await db.transaction(async (tx) => {
    // One writer per member at a time, so two saves cannot together pass 24 hours a day.
    await tx.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [member.id]);
    const today = shanghaiDate(nowMs);
    const closed = await closedMonths(
      tx,
      cells.map((cell) => monthOf(cell.day)),
    );
    for (const cell of cells) {
      const lock = dayLock(cell.day, today, closed, member.manager);
      if (lock !== null) {
        throw lock === 'future'
          ? new HttpError(
              403,
              'DAY_IN_FUTURE',
              `${cell.day} is after today: hours are declared once worked`,
              { day: cell.day },
            )
          : new HttpError(
              403,
              'MONTH_CLOSED',
              `${monthOf(cell.day)} is closed: only ops managers can change it`,
              { day: cell.day, month: monthOf(cell.day) },
            );
      }
    }
    const projects = new Map(
      (
        await tx.query<ProjectRow>(
          'SELECT id, name, type, active FROM actual_projects WHERE id::text = ANY($1::text[])',
          [[...new Set(cells.map((cell) => cell.projectId))]],
        )
      ).map((project) => [project.id, project]),
    );
    const existing = new Map(
      (
        await tx.query<{ project_id: string; day: string; hours: number; note: string }>(
          `SELECT project_id, day::text AS day, hours::float8 AS hours, note FROM actual_entries
            WHERE user_id = $1 AND day BETWEEN $2::date AND ($2::date + 6)`,
          [member.id, monday],
        )
      ).map((row) => [`${row.project_id} ${row.day}`, row]),
    );
    for (const cell of cells) {
      const key = `${cell.projectId} ${cell.day}`;
      const before = existing.get(key);
      const project = projects.get(cell.projectId);
      if (project === undefined) {
        throw badRequest('UNKNOWN_PROJECT', `No project ${cell.projectId}`, {
          projectId: cell.projectId,
        });
      }
      if (!project.active && before === undefined && cell.hours > 0) {
        throw conflict('PROJECT_INACTIVE', `${project.name} takes no new hours`, {
          projectId: project.id,
        });
      }
      const note = (cell.note ?? '').trim();
      const after = cell.hours === 0 ? undefined : { hours: cell.hours, note };
      if (before?.hours === after?.hours && (after === undefined || before?.note === after.note)) {
        continue; // unchanged: nothing to write or audit
      }
      if (after === undefined) {
        await tx.query(
          'DELETE FROM actual_entries WHERE user_id = $1 AND project_id = $2 AND day = $3::date',
          [member.id, cell.projectId, cell.day],
        );
      } else {
        await tx.query(
          `INSERT INTO actual_entries (user_id, project_id, day, hours, note, updated_at, updated_by)
           VALUES ($1, $2, $3::date, $4, $5, $6, $7)
           ON CONFLICT (user_id, day, project_id) DO UPDATE
             SET hours = EXCLUDED.hours, note = EXCLUDED.note,
                 updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
          [member.id, cell.projectId, cell.day, after.hours, note, iso(nowMs), principal.id],
        );
      }
      await tx.query(
        `INSERT INTO actual_changes (id, at, actor_id, user_id, project_id, day, hours_before,
                                     hours_after, note_before, note_after, reason)
         VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8, $9, $10, $11)`,
        [
          randomUUID(),
          iso(nowMs),
          principal.id,
          member.id,
          cell.projectId,
          cell.day,
          before?.hours ?? null,
          after?.hours ?? null,
          before?.note ?? null,
          after?.note ?? null,
          reason.trim(),
        ],
      );
    }
    const [over] = await tx.query<{ day: string; hours: number }>(
      `SELECT day::text AS day, sum(hours)::float8 AS hours FROM actual_entries
        WHERE user_id = $1 AND day BETWEEN $2::date AND ($2::date + 6)
        GROUP BY day HAVING sum(hours) > $3 ORDER BY day LIMIT 1`,
      [member.id, monday, MAX_DAY_HOURS],
    );
    if (over !== undefined) {
      actualsBadRequest(new ActualsError({ code: 'DAY_OVER_24', ...over }));
    }
  });
  return readWeek(db, member, monday, nowMs, member.manager);
}

export async function setMonthClosed(
  db: Queryable,
  month: string,
  closed: boolean,
  nowMs: number,
  userId: string,
): Promise<{ month: string; closed: boolean }> {
  await (closed
    ? db.query(
        `INSERT INTO actual_closed_months (month, closed_at, closed_by) VALUES ($1, $2, $3)
         ON CONFLICT (month) DO NOTHING`,
        [month, iso(nowMs), userId],
      )
    : db.query('DELETE FROM actual_closed_months WHERE month = $1', [month]));
  return { month, closed };
}

interface HoursRow {
  hours: number;
  billable: number;
  support: number;
}

const withShare = <T extends HoursRow>(row: T) => ({
  ...row,
  billableShare: billableShare(row.billable, row.hours),
});

/** Hours per member, project and type over `range` (Shanghai days, both included). */
export async function computeActualsReport(
  db: Queryable,
  range: ReportRange,
): Promise<ActualsReport> {
  const days = [range.from, range.to];
  const sums = `sum(e.hours)::float8 AS hours,
       coalesce(sum(e.hours) FILTER (WHERE p.type = 'billable'), 0)::float8 AS billable,
       coalesce(sum(e.hours) FILTER (WHERE p.type = 'support'), 0)::float8 AS support`;
  const inRange = 'e.day BETWEEN $1::date AND $2::date';
  const [totals] = await db.query<HoursRow>(
    `SELECT coalesce(sum(e.hours), 0)::float8 AS hours,
            coalesce(sum(e.hours) FILTER (WHERE p.type = 'billable'), 0)::float8 AS billable,
            coalesce(sum(e.hours) FILTER (WHERE p.type = 'support'), 0)::float8 AS support
       FROM actual_entries e JOIN actual_projects p ON p.id = e.project_id WHERE ${inRange}`,
    days,
  );
  const members = await db.query<
    HoursRow & { userId: string; displayName: string; role: string; recordedHours: number }
  >(
    `WITH declared AS (
       SELECT e.user_id, ${sums}
         FROM actual_entries e JOIN actual_projects p ON p.id = e.project_id
        WHERE ${inRange} GROUP BY e.user_id),
     recorded AS (
       SELECT user_id, sum(seconds)::float8 / 3600 AS hours FROM time_entries
        WHERE started_at >= $3 AND started_at < $4 GROUP BY user_id)
     SELECT u.id AS "userId", u.display_name AS "displayName", u.role,
            d.hours, d.billable, d.support, coalesce(r.hours, 0)::float8 AS "recordedHours"
       FROM declared d JOIN users u ON u.id = d.user_id
       LEFT JOIN recorded r ON r.user_id = d.user_id
      ORDER BY d.hours DESC, u.display_name, u.id`,
    [...days, iso(range.startMs), iso(range.endMs)],
  );
  const projects = await db.query<{
    projectId: string;
    name: string;
    type: ProjectType;
    hours: number;
    members: number;
  }>(
    `SELECT p.id AS "projectId", p.name, p.type, sum(e.hours)::float8 AS hours,
            count(DISTINCT e.user_id)::int AS members
       FROM actual_entries e JOIN actual_projects p ON p.id = e.project_id
      WHERE ${inRange} GROUP BY p.id, p.name, p.type ORDER BY hours DESC, p.name, p.id`,
    days,
  );
  const cells = await db.query<{ userId: string; projectId: string; hours: number }>(
    `SELECT e.user_id AS "userId", e.project_id AS "projectId", sum(e.hours)::float8 AS hours
       FROM actual_entries e WHERE ${inRange}
      GROUP BY e.user_id, e.project_id ORDER BY e.user_id, e.project_id`,
    days,
  );
  const corrections = await db.query<{
    at: string;
    actorId: string;
    actorName: string;
    memberId: string;
    memberName: string;
    projectId: string;
    day: string;
    hoursBefore: number | null;
    hoursAfter: number | null;
    reason: string;
  }>(
    `SELECT c.at, c.actor_id AS "actorId", a.display_name AS "actorName",
            c.user_id AS "memberId", m.display_name AS "memberName", c.project_id AS "projectId",
            c.day::text AS day, c.hours_before::float8 AS "hoursBefore",
            c.hours_after::float8 AS "hoursAfter", c.reason
       FROM actual_changes c JOIN users a ON a.id = c.actor_id JOIN users m ON m.id = c.user_id
      WHERE c.actor_id <> c.user_id AND c.day BETWEEN $1::date AND $2::date
      ORDER BY c.at DESC, c.id LIMIT 200`,
    days,
  );
  const closed = await db.query<{ month: string }>(
    'SELECT month FROM actual_closed_months WHERE month BETWEEN $1 AND $2 ORDER BY month',
    [monthOf(range.from), monthOf(range.to)],
  );
  return {
    from: range.from,
    to: range.to,
    totals: withShare(totals ?? { hours: 0, billable: 0, support: 0 }),
    members: members.map(withShare),
    projects,
    cells,
    corrections: corrections.map((row) => ({ ...row, at: iso(Date.parse(row.at)) })),
    closedMonths: closed.map((row) => row.month),
  };
}
