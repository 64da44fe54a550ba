"""ZONE Edit model export: public weights -> ONNX bundle (with attention outputs) -> fp16 -> TensorRT.

Modules are split by concept. The ones the unit tests import (contract, dims_expr, manifest,
hashing, schema_check, attention_layers, fp16_plan, trt_profiles, gpu_names, tokenizer_files,
report, tolerances, pins) use only the standard library; everything that needs torch, diffusers,
transformers, onnx or onnxruntime imports it inside the module that needs it.
"""
