"""Trains a LoRA adapter from a GGUF base model on verified solutions and
writes it as GGUF, for llama.cpp's server to load beside the base.

Run through `harness/finetune train DATA BASE OUT`. DATA is JSONL, one
example per line: {"task_id": ..., "prompt": ..., "completion": ...,
"split": "train" | "validation"}; the loss is on the completion only (and
the end-of-text token after it), never on the prompt. The adapter is
trained from the base every time (never from an earlier adapter). With
validation examples, each epoch ends with the validation loss; training
stops when it has not improved for --patience epochs, and the adapter of
the best epoch is the one written.

Progress goes to stderr, a line per --log-every steps. OUT.json holds what
happened: examples, epochs run, the best epoch, losses per epoch, tokens
per second and peak memory. Exit 0 when OUT is written, 2 on bad input, 1
on a failure of the training stack or the converter.
"""

import argparse
import hashlib
import json
import math
import os
import random
import resource
import shutil
import subprocess
import sys
import time


def say(message):
    print(f"finetune: {message}", file=sys.stderr, flush=True)


def fail(message, code=2):
    say(message)
    sys.exit(code)


def arguments():
    parser = argparse.ArgumentParser(prog="harness/finetune train")
    parser.add_argument("data", help="JSONL examples: task_id, prompt, completion, split")
    parser.add_argument("base", help="the base model, a GGUF file")
    parser.add_argument("out", help="where the adapter goes (GGUF)")
    parser.add_argument("--epochs", type=int, default=3, help="at most this many epochs (default 3)")
    parser.add_argument("--patience", type=int, default=1, help="epochs without a better validation loss before stopping (default 1)")
    parser.add_argument("--lr", type=float, default=1e-4, help="learning rate (default 1e-4)")
    parser.add_argument("--rank", type=int, default=8, help="LoRA rank (default 8)")
    parser.add_argument("--alpha", type=float, default=16, help="LoRA alpha (default 16)")
    parser.add_argument("--dropout", type=float, default=0.1, help="LoRA dropout (default 0.1)")
    parser.add_argument("--weight-decay", type=float, default=0.01, help="AdamW weight decay (default 0.01)")
    parser.add_argument("--max-tokens", type=int, default=768, help="tokens per example; longer prompts lose their start (default 768)")
    parser.add_argument("--accumulate", type=int, default=4, help="examples per optimizer step (default 4)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--log-every", type=int, default=10, help="steps between progress lines (default 10)")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (default: every core)")
    return parser.parse_args()


def read_examples(path):
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as error:
        fail(f"{path}: cannot read ({error.strerror})")
    examples = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            example = json.loads(line)
        except json.JSONDecodeError as error:
            fail(f"{path}:{number}: not JSON ({error.msg})")
        if not isinstance(example, dict):
            fail(f"{path}:{number}: an example is an object, not {type(example).__name__}")
        for field in ("prompt", "completion"):
            if not isinstance(example.get(field), str) or not example[field]:
                fail(f"{path}:{number}: field {field}: a non-empty string is needed (got {example.get(field)!r:.60})")
        split = example.get("split", "train")
        if split not in ("train", "validation"):
            fail(f"{path}:{number}: field split: train or validation (got {split!r:.60})")
        example["split"] = split
        examples.append(example)
    if not examples:
        fail(f"{path}: no examples")
    return examples


def file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def load_base(gguf_path, cache_root):
    """The base dequantized to fp32, from a cache beside the install (the
    GGUF is read once per base file)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    cached = os.path.join(cache_root, "base-" + file_digest(gguf_path))
    if not os.path.isfile(os.path.join(cached, "config.json")):
        say(f"dequantizing {gguf_path} (once per base file) into {cached}")
        directory, name = os.path.split(os.path.abspath(gguf_path))
        model = AutoModelForCausalLM.from_pretrained(directory, gguf_file=name, dtype=torch.float32)
        tokenizer = AutoTokenizer.from_pretrained(directory, gguf_file=name)
        # The GGUF quantizer stays attached to a model loaded from GGUF, and
        # save_pretrained refuses it.
        for holder in (model, model.config):
            if hasattr(holder, "quantization_config"):
                delattr(holder, "quantization_config")
        if hasattr(model, "hf_quantizer"):
            model.hf_quantizer = None
        partial = f"{cached}.partial-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        model.save_pretrained(partial)
        tokenizer.save_pretrained(partial)
        os.replace(partial, cached)
        return model, tokenizer, cached
    model = AutoModelForCausalLM.from_pretrained(cached, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(cached)
    return model, tokenizer, cached


def encode(tokenizer, example, max_tokens):
    """Token ids and labels: the prompt masked (-100), the completion and the
    end-of-text token learned. A prompt too long loses its start; an
    example whose completion alone is too long is dropped (None)."""
    prompt = tokenizer(example["prompt"], add_special_tokens=False)["input_ids"]
    completion = tokenizer(example["completion"], add_special_tokens=False)["input_ids"]
    completion = completion + [tokenizer.eos_token_id]
    bos = [tokenizer.bos_token_id] if tokenizer.bos_token_id is not None else []
    room = max_tokens - len(bos) - len(completion)
    if room < 8:
        return None
    prompt = prompt[-room:]
    ids = bos + prompt + completion
    labels = [-100] * (len(bos) + len(prompt)) + completion
    return ids, labels


def peak_mib():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024)


def stop_with_parent():
    """Ends this process (and the converter it may be running) when the
    process that started it is gone, however it ended: a run killed
    outright leaves no trainer writing into its directory. Polled, since
    the kernel's parent-death signal follows the thread that forked, not
    the process."""
    import threading

    parent = os.getppid()

    def watch():
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                if CONVERTER[0] is not None:
                    CONVERTER[0].kill()
                os._exit(143)

    threading.Thread(target=watch, daemon=True).start()


# The converter's process while it runs.
CONVERTER = [None]


def write_whole(path, data):
    """`data` at `path`, whole or not at all: a temporary file of this
    process's own, flushed to disk, then renamed."""
    partial = f"{path}.partial-{os.getpid()}"
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def main():
    stop_with_parent()
    args = arguments()
    if args.epochs < 1 or args.rank < 1 or args.accumulate < 1 or args.max_tokens < 16 or not args.lr > 0:
        fail("--epochs, --rank and --accumulate must be 1 or more, --max-tokens 16 or more, --lr above 0")
    if not os.path.isfile(args.base):
        fail(f"{args.base}: no such base model file")
    converter = os.environ.get("CRUCIBLE_FINETUNE_CONVERTER", "")
    if not os.path.isfile(os.path.join(converter, "convert_lora_to_gguf.py")):
        fail("llama.cpp's converter is not installed; run: harness/finetune install", 3)
    examples = read_examples(args.data)
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)

    import torch
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads or os.cpu_count() or 1)
    started = time.monotonic()
    cache_root = os.path.dirname(converter.rstrip("/"))
    base, tokenizer, base_dir = load_base(args.base, cache_root)
    say(f"base loaded in {time.monotonic() - started:.1f} s; peak {peak_mib()} MiB")

    encoded = {"train": [], "validation": []}
    dropped = 0
    for example in examples:
        pair = encode(tokenizer, example, args.max_tokens)
        if pair is None:
            dropped += 1
        else:
            encoded[example["split"]].append(pair)
    train, validation = encoded["train"], encoded["validation"]
    if not train and validation:
        # Every solved task fell in the validation split: train on them all,
        # without early stopping, rather than not at all.
        say("no training examples outside the validation split: training on every example, no early stopping")
        train, validation = validation, []
    if not train:
        fail(f"{args.data}: every example's completion is longer than --max-tokens {args.max_tokens}")
    say(f"{len(train)} training and {len(validation)} validation examples ({dropped} too long, dropped)")

    config = LoraConfig(
        r=args.rank, lora_alpha=args.alpha, lora_dropout=args.dropout, bias="none", task_type="CAUSAL_LM",
        target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    model = get_peft_model(base, config)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=args.weight_decay)
    steps_per_epoch = math.ceil(len(train) / args.accumulate)
    total_steps = steps_per_epoch * args.epochs
    # Linear warm-up over the first tenth, then linear decay to zero.
    warmup = max(1, total_steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total_steps - s) / max(1, total_steps - warmup))))

    def loss_of(ids, labels):
        input_ids = torch.tensor([ids])
        return model(input_ids=input_ids, labels=torch.tensor([labels])).loss

    def validation_loss():
        if not validation:
            return None
        model.eval()
        total, count = 0.0, 0
        with torch.no_grad():
            for ids, labels in validation:
                learned = sum(1 for label in labels if label != -100)
                total += loss_of(ids, labels).item() * learned
                count += learned
        model.train()
        return total / max(1, count)

    history = []
    # The best trained epoch: an adapter is always the result, even when
    # no epoch beats the base on validation (the summary says so).
    base_loss = validation_loss()
    best = {"loss": None, "epoch": 0, "state": None}
    say(f"validation loss before training: {base_loss}")
    tokens = 0
    train_seconds = 0.0
    waited = 0
    model.train()
    step = 0
    for epoch in range(1, args.epochs + 1):
        order = list(range(len(train)))
        random.Random(args.seed * 1000 + epoch).shuffle(order)
        epoch_loss, epoch_examples = 0.0, 0
        epoch_started = time.monotonic()
        for position, index in enumerate(order):
            ids, labels = train[index]
            loss = loss_of(ids, labels)
            if not math.isfinite(loss.item()):
                fail(f"the loss is {loss.item()} at epoch {epoch}: training diverged; lower the learning rate", 1)
            # The mean over the group, the last group being shorter.
            group = min(args.accumulate, len(order) - position // args.accumulate * args.accumulate)
            (loss / group).backward()
            epoch_loss += loss.item()
            epoch_examples += 1
            tokens += len(ids)
            if (position + 1) % args.accumulate == 0 or position == len(order) - 1:
                torch.nn.utils.clip_grad_norm_(trainable, 1.0)
                optimizer.step()
                schedule.step()
                optimizer.zero_grad()
                step += 1
                if step % args.log_every == 0:
                    elapsed = train_seconds + time.monotonic() - epoch_started
                    say(
                        f"epoch {epoch}/{args.epochs} step {step}/{total_steps} loss {epoch_loss / epoch_examples:.4f} "
                        f"{tokens / max(elapsed, 1e-9):.0f} tokens/s peak {peak_mib()} MiB")
        train_seconds += time.monotonic() - epoch_started
        held = validation_loss()
        if held is not None and not math.isfinite(held):
            fail(f"the validation loss is {held} at epoch {epoch}: training diverged; lower the learning rate", 1)
        history.append({"epoch": epoch, "train_loss": epoch_loss / max(1, epoch_examples), "validation_loss": held})
        say(f"epoch {epoch}: train loss {epoch_loss / max(1, epoch_examples):.4f}, validation loss {held}")
        if held is None:
            best = {"loss": None, "epoch": epoch, "state": None}
            continue
        if best["loss"] is None or held < best["loss"]:
            best = {
                "loss": held, "epoch": epoch,
                "state": {k: v.detach().clone() for k, v in model.state_dict().items() if "lora_" in k},
            }
            waited = 0
        else:
            waited += 1
            if waited >= args.patience:
                say(f"validation loss has not improved for {waited} epoch(s): stopping")
                break
    if base_loss is not None and best["loss"] is not None and best["loss"] >= base_loss:
        say(f"no epoch beat the base on validation ({best['loss']:.4f} against {base_loss:.4f}); "
            f"the adapter is the best epoch's ({best['epoch']})")
    if best["state"] is not None:
        model.load_state_dict(best["state"], strict=False)

    adapter_dir = f"{args.out}.peft-{os.getpid()}"
    shutil.rmtree(adapter_dir, ignore_errors=True)
    model.save_pretrained(adapter_dir)
    partial = f"{args.out}.partial-{os.getpid()}"
    # Not isolated (-I): the converter imports its neighbour
    # convert_hf_to_gguf.py and puts its own gguf-py first on the path.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    CONVERTER[0] = subprocess.Popen(
        [sys.executable, "-s", os.path.join(converter, "convert_lora_to_gguf.py"),
         "--base", base_dir, "--outtype", "f32", "--outfile", partial, adapter_dir],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    _, said = CONVERTER[0].communicate()
    if CONVERTER[0].returncode != 0 or not os.path.isfile(partial):
        say("the converter failed; what it said last:")
        print("\n".join(said.splitlines()[-15:]), file=sys.stderr)
        sys.exit(1)
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, args.out)
    shutil.rmtree(adapter_dir, ignore_errors=True)
    summary = {
        "examples": {"train": len(train), "validation": len(validation), "dropped": dropped},
        "epochs_run": len(history), "best_epoch": best["epoch"], "history": history,
        "base_validation_loss": base_loss,
        "tokens_per_second": round(tokens / max(train_seconds, 1e-9), 1), "train_seconds": round(train_seconds, 1),
        "seconds": round(time.monotonic() - started, 1), "peak_mib": peak_mib(),
        "settings": {k: getattr(args, k) for k in ("epochs", "patience", "lr", "rank", "alpha", "dropout", "max_tokens", "accumulate", "seed")},
        "adapter_bytes": os.path.getsize(args.out),
    }
    write_whole(args.out + ".json", json.dumps(summary, indent=1, allow_nan=False).encode())
    say(
        f"wrote {args.out} ({summary['adapter_bytes'] // 1024} KiB): best epoch {best['epoch']} of {len(history)}, "
        f"{summary['tokens_per_second']} tokens/s, peak {summary['peak_mib']} MiB, {summary['seconds']} s")


if __name__ == "__main__":
    main()
