import { projectLongFunctions } from "../test/architecture/function-length";
for (const f of projectLongFunctions(process.cwd()).sort((a, b) => b.lines - a.lines))
  console.log(`  "${f.id}": ${f.lines},`);
