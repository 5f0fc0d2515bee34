#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

struct llama_adapter_lora;

namespace hew {

struct LoraInitOptions {
    int rank = 16;
    float alpha = 32.0f;
    // GGUF projection names (attn_q, ffn_down, ...) that get an adapter in every block
    std::vector<std::string> targets;
    uint32_t seed = 0;
};

struct LoraTensorInfo {
    std::string name;
    int64_t n_in;
    int64_t n_out;
};

// Write a fresh LoRA adapter for the base model at `base_path`: lora_a uniform in +-1/sqrt(n_in) (the
// Kaiming bound PEFT uses), lora_b zero, so the adapted model starts out equal to the base model.
std::vector<LoraTensorInfo> write_fresh_adapter(const std::string & base_path, const std::string & out_path, const LoraInitOptions & opts);

// Write the adapter's current a/b tensors (read back from whatever device holds them) as a GGUF adapter.
void write_adapter(const llama_adapter_lora & adapter, const std::string & arch, const std::string & out_path,
                   const std::map<std::string, std::string> & extra_kv);

}  // namespace hew
