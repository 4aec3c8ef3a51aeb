// Lint rules that keep the architecture honest (see ARCHITECTURE.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// policy/ and domain/ hold the rules and the operations; they must not reach outward
// to transports (http, cli), channel implementations, or the process environment.
const inwardOnly = {
  files: ['src/policy/**/*.ts', 'src/domain/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['**/http', '**/http/**', '**/cli', '**/cli/**', '**/cli.ts', '**/main.ts'],
            message: 'policy/ and domain/ must not import transports (http, cli).',
          },
          {
            group: ['**/dispatch/channels/**'],
            message: 'policy/ and domain/ must not import channel implementations.',
          },
          {
            group: ['**/config', '**/config.ts'],
            message: 'policy/ and domain/ receive settings as arguments, never read config.',
          },
        ],
        paths: [
          { name: 'node:process', importNames: ['env'], message: 'Pass settings in.' },
          { name: 'process', importNames: ['env'], message: 'Pass settings in.' },
        ],
      },
    ],
    'no-restricted-syntax': [
      'error',
      {
        selector: "MemberExpression[object.name='globalThis'][property.name='process']",
        message: 'Pass settings in; read env only in config.ts.',
      },
    ],
    'no-restricted-properties': [
      'error',
      {
        object: 'process',
        property: 'env',
        message: 'Pass settings in; read env only in config.ts.',
      },
    ],
  },
};

// The transports (http, cli) reach tables only through the domain: no import of db/schema, types
// included (the domain and policy/ export the types a transport needs, e.g. SourceType).
const transportsThroughDomain = {
  files: ['src/http/**/*.ts', 'src/cli/**/*.ts'],
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['**/db/schema', '**/db/schema/**'],
            message:
              'http/ and cli/ reach tables only through the domain: call a domain function, import types from domain/ or policy/.',
          },
        ],
      },
    ],
  },
};

// Only config.ts (and the entry points that hand process.env to it) may read the environment.
const envOnlyInConfig = {
  files: ['src/**/*.ts'],
  ignores: ['src/config.ts', 'src/main.ts', 'src/cli.ts'],
  rules: {
    'no-restricted-properties': [
      'error',
      { object: 'process', property: 'env', message: 'Read settings in src/config.ts only.' },
    ],
  },
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'data/',
      'scratch/',
      'src/db/migrations/',
      'web/dist/',
      'test-artifacts/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  // Tests read JSON answers loosely; production code may not.
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // The web app runs in the browser and follows React's rules of hooks.
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  envOnlyInConfig,
  inwardOnly,
  transportsThroughDomain,
);
