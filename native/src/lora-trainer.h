#pragma once

#include "llama.h"
#include "ggml-opt.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hew {

struct TrainerOptions {
    std::string adapter_path;     // the adapter GGUF to start from (fresh or a checkpoint)
    uint32_t context_length = 512;
    int32_t threads = 1;
    ggml_opt_optimizer_type optimizer = GGML_OPT_OPTIMIZER_TYPE_ADAMW;
    uint32_t grad_accum = 1;      // contexts whose gradients are summed before one optimizer step
};

struct OptimizerSettings {
    float learning_rate = 1e-4f;
    float weight_decay = 0.0f;
    float beta1 = 0.9f;
    float beta2 = 0.999f;
    float eps = 1e-8f;
};

struct StepResult {
    double loss;      // cross-entropy summed over labelled positions, divided by the context length
    int64_t labelled; // positions whose label was not -1
};

// Trains the a/b tensors of one LoRA adapter on top of a frozen base model with llama.cpp's optimizer.
class LoraTrainer {
public:
    LoraTrainer(llama_model * model, const TrainerOptions & opts);
    LoraTrainer(const LoraTrainer &) = delete;
    LoraTrainer & operator=(const LoraTrainer &) = delete;

    OptimizerSettings settings;

    // One context of `context_length` tokens; labels[i] is the token expected after tokens[i], or -1 for a
    // position that must not contribute to the loss. With `train`, gradients flow and the optimizer steps
    // once every `grad_accum` calls.
    StepResult step(const std::vector<llama_token> & tokens, const std::vector<llama_token> & labels, bool train);

    void save(const std::string & path, const std::map<std::string, std::string> & extra_kv) const;

    struct TensorView { std::string name; std::vector<int64_t> ne; std::vector<float> data; };
    std::vector<TensorView> tensors() const;

    uint32_t context_length() const { return n_ctx; }

private:
    static ggml_opt_optimizer_params optimizer_params(void * userdata);

    struct BatchDeleter { void operator()(llama_batch * b) const { llama_batch_free(*b); delete b; } };
    struct ContextDeleter { void operator()(llama_context * c) const { llama_free(c); } };
    struct AdapterDeleter { void operator()(llama_adapter_lora * a) const { llama_adapter_lora_free(a); } };
    struct ResultDeleter { void operator()(ggml_opt_result * r) const { ggml_opt_result_free(r); } };

    llama_model * model;
    // members are destroyed in reverse order: the context goes before the adapter it still references
    std::unique_ptr<llama_batch, BatchDeleter> batch;
    std::unique_ptr<llama_adapter_lora, AdapterDeleter> adapter;
    std::unique_ptr<llama_context, ContextDeleter> ctx;
    std::unique_ptr<ggml_opt_result, ResultDeleter> result;
    uint32_t n_ctx;
    ggml_opt_optimizer_type optimizer;
    std::string arch;
};

}  // namespace hew
