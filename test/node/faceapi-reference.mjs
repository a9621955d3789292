// The JavaScript reference for Fairscope's face annotators: @vladmandic/face-api's own code (dist/face-api.node-wasm.js,
// tfjs wasm backend, threads off) runs SSD MobileNetV1 + AgeGenderNet with the library defaults (minConfidence 0.5,
// maxResults 100) on JPEG photos decoded by jpeg-js, and writes what it found plus the RGB pixels it decoded, so the
// .NET pipeline can be compared with it on identical pixels (FaceApiParityTests; bench mode faces-js).
//
//   node test/node/faceapi-reference.mjs --out DIR [--repeat N] PHOTO.jpg...
//
// DIR/reference.json: { faceApi, tfjs, backend, repeat, seconds, imagesPerSecond, images: [{ file, width, height,
// pixels, faces: [{ x, y, width, height, score, age, gender, pMale }] }] }, boxes in pixels of the photo;
// DIR/<photo>.rgb: width × height × 3 bytes, rows top to bottom (HWC), exactly the tensor face-api saw.
// The results come from one pass over the photos; with --repeat N (the benchmark) the photos then go through
// detection + age/gender N more times and `seconds` times those passes (decoding is not timed).
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const jpeg = require('jpeg-js');

const { values: options, positionals: photos } = parseArgs({
  options: { out: { type: 'string' }, repeat: { type: 'string', default: '0' } },
  allowPositionals: true,
});
if (!options.out || photos.length === 0) {
  console.error('usage: node faceapi-reference.mjs --out DIR [--repeat N] PHOTO.jpg...');
  process.exit(2);
}
const repeat = Number.parseInt(options.repeat, 10);

// The .wasm binaries ship in the package; threads stay off (forcing them crashes and falls back to the cpu backend).
const packageDir = (name) => dirname(require.resolve(`${name}/package.json`));
wasm.setWasmPaths(join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist') + '/');
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
await tf.setBackend('wasm');
await tf.ready();
const modelDir = join(packageDir('@vladmandic/face-api'), 'model');
await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
await faceapi.nets.ageGenderNet.loadFromDisk(modelDir);
const detectorOptions = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 100 });

mkdirSync(options.out, { recursive: true });
const images = photos.map((file) => {
  const decoded = jpeg.decode(readFileSync(file), { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
  const pixels = `${basename(file).replace(/\.[^.]*$/, '')}.rgb`;
  writeFileSync(join(options.out, pixels), decoded.data);
  // int32, as tf.node.decodeImage would give: face-api casts to float32 itself.
  const tensor = tf.tensor3d(Int32Array.from(decoded.data), [decoded.height, decoded.width, 3], 'int32');
  return { file: basename(file), width: decoded.width, height: decoded.height, pixels, tensor };
});

const analyse = (image) => faceapi.detectAllFaces(image.tensor, detectorOptions).withAgeAndGender();
const results = [];
for (const image of images) results.push(await analyse(image)); // also the warm-up of the timed passes
const started = performance.now();
for (let r = 0; r < repeat; r++) {
  for (const image of images) await analyse(image);
}
const seconds = (performance.now() - started) / 1000;

const report = {
  faceApi: JSON.parse(readFileSync(join(packageDir('@vladmandic/face-api'), 'package.json'), 'utf8')).version,
  tfjs: tf.version_core,
  backend: tf.getBackend(),
  repeat,
  seconds,
  imagesPerSecond: repeat > 0 ? (repeat * images.length) / seconds : null,
  images: images.map((image, i) => ({
    file: image.file,
    width: image.width,
    height: image.height,
    pixels: image.pixels,
    faces: results[i].map(({ detection, age, gender, genderProbability }) => ({
      x: detection.box.x,
      y: detection.box.y,
      width: detection.box.width,
      height: detection.box.height,
      score: detection.score,
      age,
      gender,
      pMale: gender === 'male' ? genderProbability : 1 - genderProbability,
    })),
  })),
};
writeFileSync(join(options.out, 'reference.json'), JSON.stringify(report, null, 1));
const speed = repeat > 0 ? `, ${report.imagesPerSecond.toFixed(2)} images/s over ${repeat} passes` : '';
console.log(`${report.images.length} photos, ${report.images.reduce((n, i) => n + i.faces.length, 0)} faces, backend ${report.backend}${speed}`);
