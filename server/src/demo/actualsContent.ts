import { randomUUID } from 'node:crypto';
import { addCalendarDays, shanghaiDate } from '#shared/domain/time';
import { mondayOf, type ProjectType } from '#shared/ops/actuals';
import type { Database } from '../db/database';

/**
 * Demo team actuals: a few projects (billable and support) and the declared hours of the demo
 * staff for the last full week and this week up to yesterday, so the ops console's team actuals
 * and each member's timesheet have something to show. Today is left empty for members to fill
 * (with the recorded focus time offered as a suggestion).
 */

export const DEMO_PROJECTS: readonly { readonly name: string; readonly type: ProjectType }[] = [
  { name: '英国硕士申请项目', type: 'billable' },
  { name: 'AI 写作课程助教', type: 'billable' },
  { name: '机构入驻审核', type: 'billable' },
  { name: '内部培训与例会', type: 'support' },
  { name: '系统与数据支持', type: 'support' },
];

/** Who works on what: usernames to project indexes (the first takes most of the day). */
const WORK: Readonly<Record<string, readonly number[]>> = {
  reviewer1: [2, 0, 3],
  reviewer2: [2, 4],
  ta1: [1, 3],
  mentor1: [1, 0],
  assistant1: [2, 4, 3],
  ops1: [0, 3, 4],
};

/** The days worked: Monday to Friday of last week and of this week before today. */
function workedDays(now: number): string[] {
  const today = shanghaiDate(now);
  const lastMonday = addCalendarDays(mondayOf(today), -7);
  return Array.from({ length: 12 }, (_, index) => addCalendarDays(lastMonday, index)).filter(
    (day, index) => index % 7 < 5 && day < today,
  );
}

export async function writeDemoActuals(
  db: Database,
  userIds: ReadonlyMap<string, string>,
  now: number,
  rng: () => number,
): Promise<void> {
  const at = new Date(now).toISOString();
  await db.transaction(async (tx) => {
    const projectIds: string[] = [];
    for (const project of DEMO_PROJECTS) {
      const id = randomUUID();
      projectIds.push(id);
      await tx.query(
        `INSERT INTO actual_projects (id, name, type, active, created_at, updated_at)
         VALUES ($1, $2, $3, true, $4, $4)`,
        [id, project.name, project.type, at],
      );
    }
    for (const [username, projects] of Object.entries(WORK)) {
      const userId = userIds.get(username);
      if (userId === undefined) {
        continue;
      }
      for (const day of workedDays(now)) {
        // 7–9 hours a day in quarter hours, most on the first project, the rest split.
        let left = 28 + Math.floor(rng() * 9);
        for (const [index, project] of projects.entries()) {
          const quarters =
            index === projects.length - 1
              ? left
              : Math.min(left, Math.floor(left * (0.5 + rng() * 0.3)));
          left -= quarters;
          const projectId = projectIds[project];
          if (quarters > 0 && projectId !== undefined) {
            await tx.query(
              `INSERT INTO actual_entries (user_id, project_id, day, hours, note, updated_at, updated_by)
               VALUES ($1, $2, $3::date, $4, '', $5, $1)`,
              [userId, projectId, day, quarters / 4, at],
            );
          }
        }
      }
    }
  });
}
