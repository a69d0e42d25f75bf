import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';

/**
 * The README's "Use from code" example, run the way a user's project runs it: a fresh folder
 * whose node_modules/bnnrelax is this package, compiled by tsc in strict mode (NodeNext module
 * resolution, so `exports`/`types` in package.json are what is resolved), then run by node.
 */
const root = resolve(import.meta.dirname, '..');

function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use from code'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README has no ts example under "Use from code"');
  return match[1]!;
}

describe('the package as a user imports it', () => {
  it('the README example compiles in strict TypeScript against the package name and runs', () => {
    expect(existsSync(join(root, 'dist/src/cli/index.d.ts')), 'dist/ is built (npm ci runs the build)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-user-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(root, join(dir, 'node_modules', 'bnnrelax'), 'dir');
      symlinkSync(join(root, 'node_modules', '@types'), join(dir, 'node_modules', '@types'), 'dir');
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', type: 'module', private: true }));
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: ['node'], outDir: 'out' }, include: ['example.ts'] }),
      );
      writeFileSync(join(dir, 'example.ts'), readmeExample());
      const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
      const run = spawnSync(process.execPath, [join(dir, 'out/example.js')], { encoding: 'utf8', cwd: dir });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^optimum -?\d+\.\d{4}, bm -?\d+\.\d{4}, proven bound -?\d+\.\d{4}\n/);
      expect(run.stdout).toMatch(/bm finds the optimum: (true|false); first weights [-1,]+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
