// The shell of the public pages (unsubscribe, privacy notice): served by the server itself, in
// the recipient's language, readable without JavaScript, high-contrast, with a visible focus.
import { html } from 'hono/html';

export const page = (lang: string, title: string, body: ReturnType<typeof html>) =>
  html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title}</title>
        <style>
          body {
            font:
              1.05rem/1.5 system-ui,
              sans-serif;
            max-width: 36rem;
            margin: 3rem auto;
            padding: 0 1rem;
            color: #1a1a1a;
          }
          button {
            font: inherit;
            padding: 0.6rem 1.2rem;
            background: #1f3a93;
            color: #fff;
            border: 0;
            border-radius: 4px;
            cursor: pointer;
          }
          a {
            color: #1f3a93;
          }
          dt {
            font-weight: 600;
            margin-top: 0.8rem;
          }
          dd {
            margin: 0;
          }
          a:focus-visible,
          button:focus-visible {
            outline: 3px solid #b35900;
            outline-offset: 2px;
          }
        </style>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`;
