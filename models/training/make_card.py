"""Write models/<id>/MODEL_CARD.md from evaluate.py results (the held-out figures are not typed by hand).

    make_card.py --id cxr-densenet-compact --eval onnx_eval.json [--pytorch-eval pt_eval.json]
                 [--ablation baseline_eval.json --ablation-main main_pytorch_eval.json] [--notes notes.md]
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cxr_data  # noqa: E402
from cxr_models import ARCHS  # noqa: E402

MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def f3(v):
    return "–" if v is None or v != v else f"{v:.3f}"


def ci(v, c):
    return f"{f3(v)} ({f3(c[0])}–{f3(c[1])})" if c and c[0] == c[0] else f3(v)


def counts(npc):
    return " / ".join(str(npc[k]) for k in cxr_data.LABELS)


def group_rows(table):
    out = ["| group | n (covid / normal / pneumonia) | accuracy (95 % CI) | COVID sensitivity | COVID-vs-rest AUROC (95 % CI) |",
           "|---|---|---|---|---|"]
    for k, v in table.items():
        out.append(f"| {k} | {v['n']} ({counts(v['n_per_class'])}) | {ci(v['accuracy'], v['accuracy_ci'])} | "
                   f"{f3(v['covid_sensitivity'])} | {ci(v['covid_vs_rest_auroc'], v.get('covid_vs_rest_auroc_ci'))} |")
    return "\n".join(out)


def source_class_rows(items):
    out = ["| source | true class | n | predicted covid / normal / pneumonia | recall | mean P(covid) |", "|---|---|---|---|---|---|"]
    for it in items:
        p = it["predicted"]
        out.append(f"| {it['source']} | {it['label']} | {it['n']} | {p['covid']} / {p['normal']} / {p['pneumonia']} | "
                   f"{f3(it['recall'])} | {f3(it['mean_p_covid'])} |")
    return "\n".join(out)


def target_row(name, value, c, goal):
    met = "met" if c[0] == c[0] and c[0] >= goal else ("point estimate only" if value >= goal else "**not met**")
    return f"| {name} | ≥ {goal} | {ci(value, c)} | {met} |"


def same_run(a, b):
    """Whether two evaluate.py training records are the same model (an ensemble shares its first member's args)."""
    return a["args"] == b["args"] and a.get("members") == b.get("members")


def heldout_evaluation(path):
    """Test-split figures from a heldout.json (per-image probabilities), in evaluate.py's layout."""
    import numpy as np
    from evaluate import group_table, headline
    with open(path) as f:
        items = json.load(f)["items"]
    rows = cxr_data.load_rows(cxr_data.DEFAULT_DATA)
    index = {r["path"]: i for i, r in enumerate(rows)}
    idx = [index[it["path"]] for it in items]
    y = np.array([rows[i]["y"] for i in idx])
    probs = np.array([it["probabilities"] for it in items])
    overall, adult_only = headline(rows, idx, y, probs)
    return {"overall": overall, "adult_only": adult_only,
            "per_source": group_table(rows, idx, y, probs, "source", cxr_data.SOURCES)}


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--id", required=True)
    p.add_argument("--eval", required=True, help="evaluate.py output scored on the exported ONNX")
    p.add_argument("--pytorch-eval")
    p.add_argument("--ablation", help="evaluate.py output of the run without anti-shortcut measures")
    p.add_argument("--ablation-main", help="evaluate.py output of the run with them")
    p.add_argument("--ablation-extra", action="append", default=[], metavar="LABEL=PATH",
                   help="further runs for the ablation table (evaluate.py outputs)")
    p.add_argument("--ablation-heldout", action="append", default=[], metavar="LABEL=PATH",
                   help="an earlier model's heldout.json (test probabilities) as an ablation row")
    p.add_argument("--ablation-intro", help="what differs between the ablation rows (one paragraph)")
    p.add_argument("--notes", help="markdown appended under 'Notes from training'")
    a = p.parse_args(argv)
    d = os.path.join(MODELS, a.id)
    with open(os.path.join(d, "model.json")) as f:
        man = json.load(f)
    with open(a.eval) as f:
        ev = json.load(f)
    tr = ev["training"]
    args = tr["args"]
    arch = ARCHS[args["arch"]]
    o, ad, pr = ev["overall"], ev["adult_only"], ev["shortcut_probe"]
    size = args["size"]
    mb = os.path.getsize(os.path.join(d, man["file"])) / 1e6
    L = []
    L += [f"# {man['name']} (`{man['id']}`)", "",
          "**Research use only. Not for clinical use.** This model was trained from scratch in minutes on a shared CPU, on "
          "public data whose class labels are confounded with hospital, age and image style (see *Known confounds*). "
          "Its scores must not inform any decision about a patient.", ""]
    members = tr.get("members")
    net = (f"DenseNet (torchvision `DenseNet` class), growth rate {arch['growth_rate']}, blocks {list(arch['block_config'])}, "
           f"{arch['num_init_features']} initial features, 1-channel input; trained from scratch (no pretrained weights).")
    if members:
        net = (f"An ensemble of {len(members)} DenseNets of the same architecture and input (seeds " +
               ", ".join(str(m["args"]["seed"]) for m in members) + "; their training differs as listed under "
               "*Training*), averaged in logit space inside the ONNX graph. Each: " + net)
    L += ["## Model", "", "- " + net,
          f"- Input `input` [N, 1, {size}, {size}] float32. Preprocessing (model.json): 8-bit grayscale (RGBA → RGB → L, "
          f"ITU-R 601 luma), resize to {size}×{size} with `fit: cover` (centre crop of the aspect ratio, so the image shape "
          "does not reveal the source) and lanczos3 (sharp/libvips), x/255, then (x − 0.5)/0.25.",
          "- Inside the network, before the first convolution: " +
          (f"a fixed Gaussian blur (σ = {args['blur']} px), " if args["blur"] > 0 else "") +
          ("then per-image standardisation (zero mean, unit variance)." if args["standardize"] else "no standardisation."),
          "- Outputs: `probabilities` [N, 3] (softmax, order " + ", ".join(f'"{k}"' for k in cxr_data.LABELS) + "); "
          "`cam` [N, 3, h, w] = final feature maps (after the last BatchNorm + ReLU) × classifier weights, no bias, "
          "**before any ReLU** (negative values mean evidence against the class; the spatial mean plus the bias is the "
          f"logit); `features` [N, d] = globally average-pooled final feature maps (the classifier's input). "
          f"ONNX opset 13, dynamic batch axis, {mb:.1f} MB.", ""]
    L += ["## Data and licence", "",
          "MedLab chest X-ray set (`shared/data/xray`, 2,985 processed images; see its README). Training used only the "
          "train split. Sources and their terms:", "",
          "| source | classes used | licence / terms |", "|---|---|---|",
          "| ieee8023 (covid-chestxray-dataset, June-2020 fork) | covid, normal, pneumonia | per image (CC BY, CC BY-NC-SA, CC BY-NC-ND, ...; ~30 % unstated) |",
          "| actualmed (Actualmed-COVID-chestxray-dataset) | covid, normal | no licence file; README: research purposes only |",
          "| kermany (Guangzhou paediatric set, Kermany et al. 2018) | normal, pneumonia | CC BY 4.0 |",
          "| nih (ChestX-ray8/14 sample, NIH Clinical Center) | normal, pneumonia | no restrictions; acknowledge NIH CC (Wang et al., CVPR 2017) |",
          "", "Because some inputs are non-commercial / research-only, **the weights are for research use only**.", ""]
    L += ["## Split", "",
          "Patient-level, exactly the data README's rule: `b = int(sha256(patient_id)[:8], 16) % 100`; train b < 70, "
          "val 70 ≤ b < 85, test b ≥ 85. Train 2,051 images (225 / 660 / 1,166 covid / normal / pneumonia), val 422, "
          f"test 512 ({counts(o['n_per_class'])}; {o['n_patients']} patients). The 34 `originals/` files are not scored. "
          "Val chose the checkpoint (macro AUROC + adult COVID-vs-rest AUROC); the test split was scored once per model.", ""]
    minutes = tr["seconds"] / 60
    def aug_of(x):
        return "no augmentation" if not x["augment"] else f"augmentation '{x.get('augment_kind', 'strong')}'"
    runs_text = ("; ".join(f"member {i + 1}: {m['epoch']} epochs, {aug_of(m['args'])}, best val checkpoint at epoch "
                           f"{m.get('best_epoch')}" for i, m in enumerate(members))
                 if members else f"{tr['epoch']} epochs, best val checkpoint at epoch {tr.get('best_epoch')}")
    L += ["## Training", "",
          f"- {runs_text}; **{minutes:.0f} min wall{' for all members' if members else ''}** on 2 "
          f"CPU cores ({args['threads']} PyTorch thread{'s' if args['threads'] > 1 else ''}; see the training README for "
          f"the machine load at the time), {size}×{size} px.",
          f"- AdamW (lr {args['lr']}, weight decay {args['wd']}), batch {args['batch']}, 1 warm-up epoch then cosine; seed {args['seed']}"
          + (f"; label smoothing {args['label_smoothing']}" if args.get("label_smoothing") else "")
          + (f"; the exponential moving average of the weights (decay {args['ema']} per step) is what was evaluated and exported"
             if args.get("ema") else "") + ".",
          f"- Each epoch draws at most {args['cap_per_group']} images per (class, source) group (fresh subset each epoch)"
          + (f"; groups smaller than {args['min_per_group']} images are repeated up to 4× (actualmed, ieee8023 normals and "
             "pneumonias: the rare within-source contrasts)" if args.get("min_per_group") else "") + ".",
          "- Anti-shortcut measures: " + ", ".join(x for x in [
              "centre-crop to a square for every image (aspect ratio differs by source and class)",
              f"one fixed degradation for every image (Gaussian blur σ = {args['blur']} px, in the ONNX graph)" if args["blur"] > 0 else "",
              "per-image intensity standardisation (in the ONNX graph)" if args["standardize"] else "",
              ("augmentation (rotation ±10°, scale ±12 %, shift ±6 %, gamma, contrast, brightness, random blur, noise, cut-out)"
               if args.get("augment_kind", "strong") == "strong" else
               "augmentation (random crop: zoom 1–1.3× with the shift inside the image, aspect ±10 %, rotation ±8°; gamma, "
               "contrast, brightness; light noise on a third of the images)") if args["augment"] and not members else "",
              ("augmentation per member as listed above (crop: random crop with zoom 1–1.3× inside the image, aspect "
               "±10 %, rotation ±8°, gamma, contrast, brightness, light noise)") if members else "",
              "loss weights √(N / (G·n_group)) per (class, source) group" if args["group_weights"] else "",
              "class-balanced loss (weights 1 / class count in each epoch's sample)" if args.get("class_balance") else "",
          ] if x) + ".",
          f"- Command: see `models/training/README.md`.", ""]
    L += ["## Held-out results (test split)", "",
          f"Scored on the **exported ONNX file** with onnxruntime-node and the agent's decoding (sharp), "
          f"`models/training/onnx_predict.mjs` → `evaluate.py --predictions` (scored: `{ev['scored']}`). "
          "95 % CIs: percentile bootstrap over patients, 2,000 resamples. `heldout.json` lists every test image with its "
          "expected probabilities.", ""]
    par = ev.get("parity")
    if par:
        L += [f"Agreement: the PyTorch checkpoint on the training cache and the ONNX file on the agent's decoding differ "
              f"by at most {par['max_abs_diff']:.1e} in any probability over the {par['n']} test images.", ""]
    L += ["| metric | target | result (95 % CI) | |", "|---|---|---|---|",
          target_row("macro AUROC (one-vs-rest, 3 classes)", o["macro_auroc"], o["macro_auroc_ci"], 0.97),
          target_row("COVID sensitivity (argmax)", o["covid_sensitivity"], o["covid_sensitivity_ci"], 0.92),
          target_row(f"adult images only: COVID-vs-rest AUROC (n = {ad['n']}: {ad['n_covid']} covid, {ad['n_other']} other)",
                     ad["covid_vs_rest_auroc"], ad["covid_vs_rest_auroc_ci"], 0.90),
          f"| accuracy | – | {ci(o['accuracy'], o['accuracy_ci'])} | |",
          f"| COVID-vs-rest AUROC (all) | – | {ci(o['covid_vs_rest_auroc'], o['covid_vs_rest_auroc_ci'])} | |",
          f"| COVID specificity | – | {f3(o['covid_specificity'])} | |", "",
          f"Adult-only: COVID sensitivity {f3(ad['covid_sensitivity'])}, specificity {f3(ad['covid_specificity'])} "
          f"(adult test images per class: {counts(ad['n_per_class'])}). Almost all adult non-COVID test images are ieee8023 "
          "pneumonia/normal, so this is mostly a within-ieee8023 comparison on few patients: the CI is wide.", ""]
    L += ["### Per source", "", group_rows(ev["per_source"]), "",
          "### Per population", "", group_rows(ev["per_population"]), "",
          "`unknown` is mostly NIH (predominantly adult hospital) plus actualmed and some ieee8023.", "",
          "### Per source and true class (is the shortcut visible?)", "", source_class_rows(ev["per_source_class"]), "",
          "Every COVID image comes from ieee8023 or actualmed and no NIH or kermany image is COVID, so high accuracy on "
          "nih and kermany rows says little about COVID detection; the ieee8023 and actualmed rows are the informative ones.", ""]
    sf = pr["source_from_features"]
    verdict = "HIGH: the features encode the hospital/source almost perfectly" if sf["macro_auroc"] >= 0.9 else (
        "moderate" if sf["macro_auroc"] >= 0.75 else "low")
    L += ["## Shortcut probe", "",
          f"Logistic regression (standardised, C = 0.1), 5-fold patient-grouped cross-validation on the val + test images "
          f"(n = {sf['n']}), predicting the **source** from the `features` output.", "",
          "| probe | macro one-vs-rest AUROC | per source |", "|---|---|---|",
          f"| source ← penultimate features | **{f3(sf['macro_auroc'])}** | " + ", ".join(f"{k} {f3(v)}" for k, v in sf["per_class"].items()) + " |",
          f"| source ← raw pixels (20×20 thumbnail), reference | {f3(pr['source_from_pixels_20x20']['macro_auroc'])} | " +
          ", ".join(f"{k} {f3(v)}" for k, v in pr['source_from_pixels_20x20']["per_class"].items()) + " |"]
    for k, v in pr["within_class"].items():
        L.append(f"| source ← features, {k} images only | {f3(v['macro_auroc'])} | " + ", ".join(f"{s} {f3(x)}" for s, x in v["per_class"].items()) + " |")
    L.append(f"| adult vs child ← features | {f3(pr['adult_vs_child_from_features']['macro_auroc'])} | |")
    L += ["", f"**Verdict: {verdict}.** " + (
        "The model's representation tells the hospitals apart even within one class; any class decision may "
        "partly rest on that. Treat the per-source rows above, not the overall AUROC, as the evidence." if sf["macro_auroc"] >= 0.9 else
        "The features still carry source information; read the per-source tables."), ""]
    def arow(name, e):
        oo, aa = e["overall"], e["adult_only"]
        ps = e["per_source"]
        probe = e.get("shortcut_probe")
        return (f"| {name} | {ci(oo['macro_auroc'], oo['macro_auroc_ci'])} | {f3(oo['covid_sensitivity'])} | "
                f"{ci(aa['covid_vs_rest_auroc'], aa['covid_vs_rest_auroc_ci'])} | "
                + " | ".join(f3(ps[s]["accuracy"]) if s in ps else "–" for s in cxr_data.SOURCES)
                + f" | {f3(probe['source_from_features']['macro_auroc']) if probe else '–'} |")

    runs = []  # (label, evaluation)
    if a.ablation and a.ablation_main:
        for path, label in ((a.ablation, "baseline (no measures)"), (a.ablation_main, "with measures")):
            with open(path) as f:
                e = json.load(f)
            runs.append((label + (" — this model" if same_run(e["training"], tr) else ""), e))
    for spec in a.ablation_extra:
        label, path = spec.split("=", 1)
        with open(path) as f:
            e = json.load(f)
        runs.append((label + (" — this model" if same_run(e["training"], tr) else ""), e))
    for spec in a.ablation_heldout:
        label, path = spec.split("=", 1)
        runs.append((label, heldout_evaluation(path)))
    if runs:
        L += ["## Ablation: effect of the training recipe and the anti-shortcut measures", "",
              a.ablation_intro or (
                  "Same architecture, resolution, epochs, group cap and seed; the baseline has no blur, no standardisation, "
                  "no augmentation and no group weights (all runs keep the square centre crop and the per-group cap)."),
              "Test split, 95 % CIs by patient bootstrap; rows from an earlier model's `heldout.json` have no probe "
              "(its features were not kept).", "",
              "| run | macro AUROC (95 % CI) | COVID sens. | adult COVID AUROC (95 % CI) | acc. " +
              " | acc. ".join(cxr_data.SOURCES) + " | source probe AUROC |",
              "|---|---|---|---|" + "---|" * len(cxr_data.SOURCES) + "---|"]
        L += [arow(label, e) for label, e in runs]
        L.append("")
    L += ["## Known confounds and limitations", "",
          "- **Class vs age**: all kermany images are children aged 1–5 (44 % of normals, 68 % of pneumonias); COVID "
          "images are almost all adults. An adult-vs-child detector scores well on the overall metrics.",
          "- **Class vs hospital / export**: COVID comes only from ieee8023 and actualmed; NIH images are never COVID. "
          "'NIH export = not COVID' and 'paper figure = COVID' are available shortcuts; the source probe shows the "
          "features carry the source.",
          "- **Image style**: ieee8023 COVID images are often figures cut from papers (text, arrows, borders, "
          "re-compression); crops, borders and noise texture differ by source even after re-encoding.",
          "- **Labels**: NIH labels are NLP-mined (noisy); ieee8023 'normal' means 'no finding' in COVID suspects.",
          "- **Small subgroups**: actualmed and the adult non-COVID groups have few test patients; their CIs are wide.",
          "- Trained at low resolution for minutes from scratch; no external validation; not calibrated for any "
          "clinical prevalence. Source-held-out evaluation (e.g. train without actualmed) was not run.", ""]
    if a.pytorch_eval:
        with open(a.pytorch_eval) as f:
            pt = json.load(f)
        L += [f"PyTorch scoring of the same checkpoint: macro AUROC {f3(pt['overall']['macro_auroc'])}, COVID sensitivity "
              f"{f3(pt['overall']['covid_sensitivity'])}, adult COVID AUROC {f3(pt['adult_only']['covid_vs_rest_auroc'])}.", ""]
    if a.notes:
        with open(a.notes) as f:
            L += ["## Notes from training", "", f.read().strip(), ""]
    L += ["## Reproduce", "", "See `models/training/README.md` (commands, run times). Training is not part of CI; the CI "
          "test reproduces the held-out figures from `heldout.json` with the agent.", ""]
    with open(os.path.join(d, "MODEL_CARD.md"), "w") as f:
        f.write("\n".join(L))
    print("wrote", os.path.join(d, "MODEL_CARD.md"))


if __name__ == "__main__":
    main()
