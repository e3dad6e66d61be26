// Runs the NanoDet TF.js graph model with TensorFlow.js (pure JavaScript CPU backend) on a
// synthetic input and writes reference values for the Java graph executor's parity test.
//
// Usage, from a scratch folder with `npm install @tensorflow/tfjs@4.22.0`:
//   node make-fixture.mjs MODEL_JSON OUTPUT_JSON
// The input is a formula (see syntheticInput) that the Java test recomputes, so no image is stored.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const tf = require('@tensorflow/tfjs');

const SAMPLES_PER_OUTPUT = 64;
const TOP_K = 10;

/** Input value at [0, c, y, x]: a smooth pattern in about [-2, 2], rounded to float32. */
function syntheticInput(channels, height, width) {
  const values = new Float32Array(channels * height * width);
  let i = 0;
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        values[i++] = Math.fround(2 * Math.sin(0.05 * (c + 1) * y) * Math.cos(0.031 * x + 0.7 * c));
      }
    }
  }
  return values;
}

async function loadModel(modelJsonPath) {
  const model = JSON.parse(fs.readFileSync(modelJsonPath, 'utf8'));
  const folder = path.dirname(modelJsonPath);
  const buffers = model.weightsManifest.flatMap((group) => group.paths)
    .map((file) => fs.readFileSync(path.join(folder, file)));
  const weightData = Buffer.concat(buffers);
  const handler = {
    load: async () => ({
      modelTopology: model.modelTopology,
      weightSpecs: model.weightsManifest.flatMap((group) => group.weights),
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
      format: model.format,
      generatedBy: model.generatedBy,
      convertedBy: model.convertedBy,
      signature: model.signature,
    }),
  };
  return { graph: await tf.loadGraphModel(handler), signature: model.signature };
}

/** Flat indices spread evenly over a tensor of `size` elements, always including the first and last. */
function sampleIndices(size) {
  const indices = [];
  for (let k = 0; k < SAMPLES_PER_OUTPUT; k++) {
    indices.push(Math.round((k * (size - 1)) / (SAMPLES_PER_OUTPUT - 1)));
  }
  return indices;
}

async function main() {
  const [modelJsonPath, outputPath] = process.argv.slice(2);
  if (!modelJsonPath || !outputPath) {
    throw new Error('usage: node make-fixture.mjs MODEL_JSON OUTPUT_JSON');
  }
  await tf.setBackend('cpu');
  const { graph, signature } = await loadModel(modelJsonPath);

  const inputName = Object.keys(signature.inputs)[0];
  const inputShape = signature.inputs[inputName].tensorShape.dim.map((d) => Number(d.size));
  const [, channels, height, width] = inputShape;
  const input = tf.tensor(syntheticInput(channels, height, width), inputShape, 'float32');

  const outputNames = Object.keys(signature.outputs).sort();
  const results = graph.execute({ [inputName.replace(/:0$/, '')]: input }, outputNames.map((n) => n.replace(/:0$/, '')));
  const fixture = {
    tool: `@tensorflow/tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}`,
    model: path.basename(modelJsonPath),
    input: { name: inputName.replace(/:0$/, ''), shape: inputShape,
      formula: '2 * sin(0.05 * (c + 1) * y) * cos(0.031 * x + 0.7 * c), rounded to float32' },
    outputs: [],
  };
  for (let o = 0; o < outputNames.length; o++) {
    const values = results[o].dataSync();
    const indices = sampleIndices(values.length);
    let sum = 0;
    let absSum = 0;
    for (const v of values) {
      sum += v;
      absSum += Math.abs(v);
    }
    const order = Array.from(values.keys()).sort((a, b) => values[b] - values[a]).slice(0, TOP_K);
    fixture.outputs.push({
      name: outputNames[o].replace(/:0$/, ''),
      shape: results[o].shape,
      sum,
      absSum,
      sampleIndices: indices,
      sampleValues: indices.map((i) => values[i]),
      topIndices: order,
      topValues: order.map((i) => values[i]),
    });
  }
  fs.writeFileSync(outputPath, JSON.stringify(fixture, null, 1) + '\n');
  console.log(`wrote ${outputPath}: ${fixture.outputs.map((o) => `${o.name} ${JSON.stringify(o.shape)}`).join(', ')}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
