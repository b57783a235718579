// Runs a counting job in a child process (so a test can kill -9 it): argv[2] is the jobs folder, argv[3] the params
// as JSON, or "resume:<id>". Prints the job id on stdout as soon as the job exists.
import { createJobService } from '../../electron/node/jobs/job-service.js';
import { countingJob } from './counting-job.js';

const [dir, what] = process.argv.slice(2);
const jobs = createJobService({ dir: dir!, kinds: { count: () => countingJob } });
if (what!.startsWith('resume:')) {
  await jobs.resume(what!.slice('resume:'.length));
} else {
  let printed = false;
  await jobs.run('count', JSON.parse(what!), {
    onProgress: (job) => {
      if (!printed) {
        printed = true;
        process.stdout.write(`${job.id}\n`);
      }
    },
  });
}
