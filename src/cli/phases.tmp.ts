import { readFileSync, openSync, writeSync } from 'node:fs';
import { parseScenario } from './../engine/scenario/parse.ts';
import { run } from '../engine/run.ts';
import { Chunked, writeOutput } from './jsonOut.ts';
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const p = parseScenario(JSON.parse(readFileSync('/tmp/h14/big20.json', 'utf8')));
if (!p.ok) throw 1;
const r = run(p.scenario, { trace: 'none' });
const fd = openSync('/dev/null', 'w');
for (let rep = 0; rep < 6; rep++) {
  const t2 = cpu();
  let bytes = 0;
  const out = new Chunked((b) => {
    bytes += b.length;
    writeSync(fd, b);
  });
  writeOutput(out, p.scenario, r.result, undefined, { compact: rep % 2 === 1 });
  out.flush();
  console.log(`write ${(cpu() - t2).toFixed(0)} ms cpu, ${bytes} bytes`);
}
