/**
 * The layer rule of bnnrelax (README, "Layout"): imports run one way, bottom to top.
 *
 *   src/core        contracts (problem, solver, result, signs, errors, ...)   imports nothing else
 *   src/numerics    rng, logistic, csr, cholesky, lanczos, lbfgs              core
 *   src/optim       update rules (adam, momentum, schedules, ...)             core, numerics
 *   src/formats     every file format                                         core, numerics
 *   src/datasets    data sets                                                 + formats
 *   src/xnor        XNOR-popcount kernels and the binary forward pass         + formats
 *   src/report      tables, plots, progress                                   core, numerics, formats
 *   problems/       what is solved                                            the layers above, never solvers/
 *   solvers/        how it is solved                                          core, numerics, optim, xnor; never problems/
 *   src/experiments suites, runner, studies                                   everything but src/cli
 *   src/cli         commands and the library entry (index.ts)                 everything
 *
 * `npm run lint:deps` (run by .ci/run) fails on any arrow that breaks it, and on any cycle.
 */
const layer = (name, allowed) => ({
  name: `layer-${name.replace(/[^a-z]+/g, '-')}`,
  severity: 'error',
  comment: `${name} may import only ${allowed.join(', ') || 'itself'} (and packages)`,
  from: { path: `^${name}/` },
  to: {
    path: '^(src|solvers|problems)/',
    pathNot: [`^${name}/`, ...allowed.map((a) => `^${a}/`)],
  },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'import cycles hide which module is the lower one', from: {}, to: { circular: true } },
    layer('src/core', []),
    layer('src/numerics', ['src/core']),
    layer('src/optim', ['src/core', 'src/numerics']),
    layer('src/formats', ['src/core', 'src/numerics']),
    layer('src/datasets', ['src/core', 'src/numerics', 'src/formats']),
    layer('src/xnor', ['src/core', 'src/numerics', 'src/formats']),
    layer('src/report', ['src/core', 'src/numerics', 'src/formats']),
    layer('problems', ['src/core', 'src/numerics', 'src/optim', 'src/formats', 'src/datasets', 'src/xnor']),
    layer('solvers', ['src/core', 'src/numerics', 'src/optim', 'src/xnor']),
    layer('src/experiments', ['src/core', 'src/numerics', 'src/optim', 'src/formats', 'src/datasets', 'src/xnor', 'src/report', 'solvers', 'problems']),
    {
      name: 'no-unknown-folder',
      severity: 'error',
      comment: 'every file under src/ lives in one of the layers',
      from: { path: '^src/', pathNot: '^src/(core|numerics|optim|formats|datasets|xnor|report|experiments|cli)/' },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs'] },
  },
};
