/**
 * A small executor for TensorFlow.js graph models ({@code model.json} with {@code modelTopology}
 * and {@code weightsManifest}, plus its {@code .bin} weight files), evaluated node by node with DJL
 * {@code NDArray} operations on the PyTorch engine. Only the ops in {@link dev.mlsuite.inference.tfjs.GraphOps}
 * are implemented, each with TensorFlow's semantics; any other op fails with its name.
 */
package dev.mlsuite.inference.tfjs;
