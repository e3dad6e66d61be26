/**
 * A protobuf reader for ONNX model files that decodes the graph's nodes and initializers, and
 * recovers the PyTorch names of Linear weights that the exporter stored under anonymous names.
 * It needs no ONNX or protobuf library.
 */
package dev.mlsuite.inference.io.onnx;
