/**
 * A job the server process runs on a schedule (the ops alerts, the listing reminders): now, and
 * then every `intervalMs`. A round never overlaps the one before (a slow database skips a beat
 * rather than piling rounds up); a failure goes to `onError` and the next round tries again.
 * The timer does not keep the process alive. Returns a function that stops the schedule.
 */
export function runOnSchedule(options: {
  readonly intervalMs: number;
  readonly round: () => Promise<void>;
  readonly onError: (error: unknown) => void;
}): () => void {
  let running = false;
  const tick = () => {
    if (running) {
      return;
    }
    running = true;
    options
      .round()
      .catch(options.onError)
      .finally(() => {
        running = false;
      });
  };
  tick();
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
