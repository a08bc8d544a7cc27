// Stand-in for the `server-only` marker package under Vitest, which runs outside the RSC bundler.
export {};
