import { Command, CommanderError, Option } from 'commander';
import { runDiffCommand, type DiffMode } from './commands/diff';
import { runHomeworkExportCommand } from './commands/homework';
import { runOcrCommand } from './commands/ocr';
import { runReportKpisCommand } from './commands/report';
import { runSeedCommand } from './commands/seed';
import { runServerCommand } from './commands/server';
import { runUsccCommand } from './commands/uscc';
import { runValidateCommand } from './commands/validate';
import { parseCalendarDate, shanghaiDate } from '#shared/domain/time';
import { DEFAULT_DEMO_HOMEWORK, DEFAULT_DEMO_LISTINGS } from '../server/src/demo/seed';
import { cliLocale, CliInputError, EXIT, type CliIo } from './io';

export { nodeCliIo } from './io';

/** `YYYY-MM-DD` naming a day that exists (no 2026-02-30). */
function isCalendarDay(text: string): boolean {
  try {
    parseCalendarDate(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `review-desk` with the given arguments and returns the exit code. Every command prints
 * for people by default and takes `--json` for machines; input problems are one line on stderr
 * and exit code 2, never a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCodeOf(program);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; everything else Commander rejects is bad usage.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliInputError) {
      io.stderr(`review-desk: error: ${error.message}\n`);
      return EXIT.usage;
    }
    const reason = error instanceof Error ? error.message : String(error);
    io.stderr(`review-desk: internal error: ${reason}\n`);
    return EXIT.usage;
  }
}

const exitCodes = new WeakMap<Command, number>();

function exitCodeOf(program: Command): number {
  return exitCodes.get(program) ?? EXIT.ok;
}

function buildProgram(io: CliIo): Command {
  const program = new Command('review-desk')
    .description(
      'ReviewDesk command line: check credentials and listings, run the review server, export homework records, report KPIs.',
    )
    .addOption(new Option('--lang <locale>', 'language of human output').choices(['zh-CN', 'en']))
    .exitOverride()
    .configureOutput({
      writeOut: (text) => {
        io.stdout(text);
      },
      writeErr: (text) => {
        io.stderr(text);
      },
    })
    .showHelpAfterError()
    .allowExcessArguments(false);

  const localeOf = (): ReturnType<typeof cliLocale> =>
    cliLocale(program.opts<{ lang?: string }>().lang, io.env);

  program
    .command('uscc')
    .description('check unified social credit codes (统一社会信用代码, GB 32100-2015)')
    .argument('[codes...]', 'codes to check; spaces and lower case are normalised')
    .option('--json', 'print an array of {input, valid, normalized, reason}')
    .action((codes: string[], options: { json?: true }, command: Command) => {
      if (codes.length === 0) {
        command.outputHelp({ error: true });
        exitCodes.set(program, EXIT.usage);
        return;
      }
      exitCodes.set(
        program,
        runUsccCommand(codes, { json: options.json === true, locale: localeOf() }, io),
      );
    });

  program
    .command('validate')
    .description('validate listing documents; exit 1 when any has an error')
    .argument('<files...>', 'listing documents (JSON)')
    .option('--json', 'print an array of results with issues anchored to field paths')
    .option(
      '--today <YYYY-MM-DD>',
      'day to check credential validity against (default: today in China)',
    )
    .action(async (files: string[], options: { json?: true; today?: string }) => {
      const today = options.today ?? shanghaiDate(io.now().getTime());
      if (!isCalendarDay(today)) {
        throw new CliInputError(`--today must look like 2026-11-21, got ${JSON.stringify(today)}`);
      }
      const code = await runValidateCommand(
        files,
        { json: options.json === true, locale: localeOf(), today },
        io,
      );
      exitCodes.set(program, code);
    });

  program
    .command('diff')
    .description(
      'compare two JSON documents (listing revisions field by field); exit 1 when they differ',
    )
    .argument('<before>', 'the earlier document (JSON)')
    .argument('<after>', 'the later document (JSON)')
    .addOption(new Option('--patch', 'print the RFC 6902 JSON Patch').conflicts('json'))
    .addOption(
      new Option(
        '--compact',
        'print the compact patch (smaller than JSON Patch; shared/diff/compact.ts)',
      ).conflicts(['json', 'patch']),
    )
    .option('--json', 'print {changes, patch, summary}')
    .addOption(
      new Option(
        '--listing',
        'compare as listing documents (default: when both look like one)',
      ).conflicts('generic'),
    )
    .option('--generic', 'compare as plain JSON documents')
    .option(
      '--today <YYYY-MM-DD>',
      'day whose exchange rates convert prices to CNY (default: today in China)',
    )
    .action(
      async (
        before: string,
        after: string,
        options: {
          patch?: true;
          compact?: true;
          json?: true;
          listing?: true;
          generic?: true;
          today?: string;
        },
      ) => {
        const today = options.today ?? shanghaiDate(io.now().getTime());
        if (!isCalendarDay(today)) {
          throw new CliInputError(
            `--today must look like 2026-11-21, got ${JSON.stringify(today)}`,
          );
        }
        const mode: DiffMode =
          options.listing === true ? 'listing' : options.generic === true ? 'generic' : 'auto';
        const code = await runDiffCommand(
          before,
          after,
          {
            patch: options.patch === true,
            compact: options.compact === true,
            json: options.json === true,
            mode,
            today,
            locale: localeOf(),
          },
          io,
        );
        exitCodes.set(program, code);
      },
    );

  program
    .command('ocr')
    .description(
      'read business licences and tutor certificates offline (PDF, JPEG, PNG, WebP; folders too); exit 1 when a check fails',
    )
    .argument('<files...>', 'files, or folders whose PDFs and images are all read')
    .option('--json', 'print an array of {file, kind, fields, checks, text}')
    .option('--listing <file>', 'listing document (JSON) to check the credentials against')
    .option('--today <YYYY-MM-DD>', 'day to check expiry against (default: today in China)')
    .option('--no-cache', 'read every file again instead of reusing cached results')
    .option('--jobs <n>', 'OCR workers (default: CPU cores, at most 2)')
    .option(
      '--ocr-lang <codes>',
      'Tesseract languages joined by + (default chi_sim_400+chi_sim; eng ships too)',
    )
    .action(
      async (
        files: string[],
        options: {
          json?: true;
          listing?: string;
          today?: string;
          cache: boolean;
          jobs?: string;
          ocrLang?: string;
        },
      ) => {
        const today = options.today ?? shanghaiDate(io.now().getTime());
        if (!isCalendarDay(today)) {
          throw new CliInputError(
            `--today must look like 2026-11-21, got ${JSON.stringify(today)}`,
          );
        }
        const jobs = options.jobs === undefined ? undefined : Number(options.jobs);
        if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1 && jobs <= 16)) {
          throw new CliInputError(
            `--jobs must be a whole number from 1 to 16, got ${options.jobs}`,
          );
        }
        const languages = options.ocrLang?.split('+').filter((code) => code !== '');
        if (languages?.length === 0) {
          throw new CliInputError('--ocr-lang needs at least one language, e.g. chi_sim');
        }
        const code = await runOcrCommand(
          files,
          {
            json: options.json === true,
            locale: localeOf(),
            today,
            listing: options.listing,
            languages,
            jobs,
            cache: options.cache,
            // A redrawn bar only on a terminal; plain lines in logs and pipes.
            progress: process.stderr.isTTY ? 'bar' : 'lines',
          },
          io,
        );
        exitCodes.set(program, code);
      },
    );

  program
    .command('server')
    .description(
      'run the review server (embedded PGlite by default, PostgreSQL with --database-url)',
    )
    .option('--port <n>', 'port to listen on (default 8787, or PORT)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1, or HOST)')
    .option(
      '--data-dir <dir>',
      'where PGlite data, files and the token secret live (default ~/.review-desk)',
    )
    .option('--database-url <url>', 'a PostgreSQL connection URL (or DATABASE_URL)')
    .option('--serve-app', 'serve the built workstation at / (web mode)')
    .option('--no-seed', 'do not load demo data into an empty database')
    .option(
      '--demo-password <password>',
      'password of the demo users (or REVIEW_DESK_DEMO_PASSWORD)',
    )
    .action(
      async (options: {
        port?: string;
        host?: string;
        dataDir?: string;
        databaseUrl?: string;
        serveApp?: true;
        seed: boolean;
        demoPassword?: string;
      }) => {
        const code = await runServerCommand(
          {
            port: options.port,
            host: options.host,
            dataDir: options.dataDir,
            databaseUrl: options.databaseUrl,
            serveApp: options.serveApp === true,
            seed: options.seed,
            demoPassword: options.demoPassword,
          },
          io,
        );
        exitCodes.set(program, code);
      },
    );

  program
    .command('seed')
    .description('load demo data into an empty database')
    .option(
      '--demo-password <password>',
      'password of every demo user (else REVIEW_DESK_DEMO_PASSWORD, else generated and printed once)',
    )
    .option(
      '--listings <n>',
      `number of listings (default ${DEFAULT_DEMO_LISTINGS}; 50000 for benchmarks)`,
    )
    .option('--homework <n>', `number of homework submissions (default ${DEFAULT_DEMO_HOMEWORK})`)
    .option('--data-dir <dir>', 'data directory (default REVIEW_DESK_DATA_DIR or ~/.review-desk)')
    .option('--database-url <url>', 'PostgreSQL URL (default DATABASE_URL, else embedded PGlite)')
    .option('--json', 'print the result as JSON')
    .action(
      async (options: {
        demoPassword?: string;
        listings?: string;
        homework?: string;
        dataDir?: string;
        databaseUrl?: string;
        json?: true;
      }) => {
        exitCodes.set(
          program,
          await runSeedCommand({ ...options, json: options.json === true }, io),
        );
      },
    );

  const homework = program
    .command('homework')
    .description('homework workstation data: export the archived student record');

  homework
    .command('export')
    .description("print one chapter's archived homework records (the student record)")
    .option('--chapter <n>', 'chapter number, e.g. 3 (03 is the same chapter)')
    .option('--data-dir <dir>', 'data directory (default REVIEW_DESK_DATA_DIR or ~/.review-desk)')
    .option('--database-url <url>', 'PostgreSQL URL (default DATABASE_URL, else embedded PGlite)')
    .option(
      '--json',
      'print an array of {studentId, studentName, chapter, score, excellent, mentorComment, ta, mentor, archivedAt, submissionId}',
    )
    .action(
      async (options: {
        chapter?: string;
        dataDir?: string;
        databaseUrl?: string;
        json?: true;
      }) => {
        exitCodes.set(
          program,
          await runHomeworkExportCommand(
            {
              chapter: options.chapter,
              dataDir: options.dataDir,
              databaseUrl: options.databaseUrl,
              json: options.json === true,
              locale: localeOf(),
            },
            io,
          ),
        );
      },
    );

  const report = program
    .command('report')
    .description('operations reports: the ops console figures');

  report
    .command('kpis')
    .description(
      'print the listing KPIs (draft→submit, first-pass approval, preparation, rejection response)',
    )
    .option('--from <date>', 'first day, YYYY-MM-DD (Shanghai)')
    .option('--to <date>', 'last day, YYYY-MM-DD (Shanghai), today at the latest')
    .option('--data-dir <dir>', 'data directory (default REVIEW_DESK_DATA_DIR or ~/.review-desk)')
    .option('--database-url <url>', 'PostgreSQL URL (default DATABASE_URL, else embedded PGlite)')
    .option(
      '--json',
      'print {from, to, asOf, kpis: [{id, value, unit, target, goal, met, sample, previous}]}',
    )
    .action(
      async (options: {
        from?: string;
        to?: string;
        dataDir?: string;
        databaseUrl?: string;
        json?: true;
      }) => {
        exitCodes.set(
          program,
          await runReportKpisCommand(
            {
              from: options.from,
              to: options.to,
              dataDir: options.dataDir,
              databaseUrl: options.databaseUrl,
              json: options.json === true,
              locale: localeOf(),
            },
            io,
          ),
        );
      },
    );

  return program;
}
