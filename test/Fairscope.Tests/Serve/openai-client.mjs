// Calls `fairscope serve` through the official openai npm package (installed by .ci/run into test/node) and prints
// what came back as one JSON line. ServeNodeClientTests runs it: node openai-client.mjs, with
// FAIRSCOPE_BASE_URL (the server's /v1 URL) and FAIRSCOPE_NODE_DIR (the folder holding node_modules/openai).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.env.FAIRSCOPE_NODE_DIR, 'package.json'));
const openai = require('openai');
const OpenAI = openai.OpenAI ?? openai.default ?? openai;
const { version } = JSON.parse(readFileSync(join(process.env.FAIRSCOPE_NODE_DIR, 'node_modules', 'openai', 'package.json'), 'utf8'));

const client = new OpenAI({ baseURL: process.env.FAIRSCOPE_BASE_URL, apiKey: 'no-key', maxRetries: 0 });
const messages = [
  { role: 'system', content: 'You are a storyteller.' },
  { role: 'user', content: 'The nurse said that' },
];

const chat = await client.chat.completions.create({
  model: 'builtin', messages, n: 2, seed: 11, temperature: 1, max_tokens: 12, logprobs: true, top_logprobs: 3,
});

const stream = await client.chat.completions.create({
  model: 'builtin', messages, seed: 11, temperature: 1, max_tokens: 12, stream: true,
});
let streamed = '';
let chunks = 0;
let finishReason = null;
for await (const chunk of stream) {
  chunks++;
  const choice = chunk.choices[0];
  streamed += choice?.delta?.content ?? '';
  finishReason = choice?.finish_reason ?? finishReason;
}

console.log(JSON.stringify({
  version,
  chat: {
    object: chat.object,
    choices: chat.choices.map(c => ({
      index: c.index,
      content: c.message.content,
      finish_reason: c.finish_reason,
      logprobs: c.logprobs.content.map(t => ({ token: t.token, logprob: t.logprob, bytes: t.bytes, top: t.top_logprobs.map(x => x.logprob) })),
    })),
    usage: chat.usage,
  },
  stream: { text: streamed, chunks, finish_reason: finishReason },
}));
