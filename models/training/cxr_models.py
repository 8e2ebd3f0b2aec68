"""DenseNet variants for 1-channel chest X-rays, with the outputs the MedLab manifest asks for.

The network sees the manifest-normalised image ((x/255 - 0.5)/0.25). With `standardize`, each image
is then rescaled to zero mean and unit variance inside the network, so global brightness and contrast
(which differ by source) carry no signal; with `blur_sigma`, a fixed Gaussian low-pass applies one
degradation to every image, in training and in the exported ONNX alike.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

ARCHS = {
    # growth, blocks, initial features, bottleneck width
    "densenet121": dict(growth_rate=32, block_config=(6, 12, 24, 16), num_init_features=64, bn_size=4),
    "compact": dict(growth_rate=16, block_config=(4, 8, 12), num_init_features=32, bn_size=4),
}


def gaussian_kernel(sigma):
    radius = max(1, int(math.ceil(2.5 * sigma)))
    x = torch.arange(-radius, radius + 1, dtype=torch.float32)
    k = torch.exp(-(x**2) / (2 * sigma**2))
    k = k / k.sum()
    return (k[:, None] * k[None, :])[None, None]


class CxrDenseNet(nn.Module):
    def __init__(self, arch, n_classes=3, standardize=True, blur_sigma=0.0, drop_rate=0.0):
        super().__init__()
        net = torchvision.models.DenseNet(num_classes=n_classes, drop_rate=drop_rate, **ARCHS[arch])
        net.features.conv0 = nn.Conv2d(1, ARCHS[arch]["num_init_features"], 7, 2, 3, bias=False)
        nn.init.kaiming_normal_(net.features.conv0.weight)
        self.features = net.features
        self.classifier = net.classifier
        self.standardize = standardize
        self.blur_sigma = blur_sigma
        if blur_sigma > 0:
            self.register_buffer("blur", gaussian_kernel(blur_sigma))
        else:
            self.register_buffer("blur", torch.zeros(1, 1, 1, 1))

    def prepare(self, x):
        if self.blur_sigma > 0:
            pad = self.blur.shape[-1] // 2
            x = F.conv2d(F.pad(x, (pad, pad, pad, pad), mode="replicate"), self.blur)
        if self.standardize:
            mean = x.mean(dim=(2, 3), keepdim=True)
            std = ((x - mean) ** 2).mean(dim=(2, 3), keepdim=True).add(1e-5).sqrt()
            x = (x - mean) / std
        return x

    def forward(self, x):
        """-> logits [N,K], pooled features [N,C], final feature maps [N,C,h,w] (after ReLU)."""
        fmap = F.relu(self.features(self.prepare(x)))
        pooled = fmap.mean(dim=(2, 3))
        return self.classifier(pooled), pooled, fmap


class Ensemble(nn.Module):
    """Members with the same input size, averaged in logit space (logits = mean of the members').

    Its classifier is the members' classifiers side by side (weights / M, mean bias), so `pooled` is the
    members' pooled features concatenated and the CAM built by ExportHead is the mean of their CAMs:
    the one-model contract (CAM mean + bias = logit) still holds.
    """

    def __init__(self, members):
        super().__init__()
        self.members = nn.ModuleList(members)
        w = torch.cat([m.classifier.weight for m in members], 1) / len(members)
        b = torch.stack([m.classifier.bias for m in members]).mean(0)
        self.classifier = nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            self.classifier.weight.copy_(w)
            self.classifier.bias.copy_(b)

    def forward(self, x):
        outs = [m(x) for m in self.members]
        pooled = torch.cat([o[1] for o in outs], 1)
        fmap = torch.cat([o[2] for o in outs], 1)
        return self.classifier(pooled), pooled, fmap


class ExportHead(nn.Module):
    """What the ONNX file computes: probabilities, class activation maps, pooled features.

    cam[n,k] = sum_c W[k,c] * fmap[n,c] (no bias, no ReLU): its spatial mean plus the bias is
    exactly the class-k logit.
    """

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        logits, pooled, fmap = self.model(x)
        w = self.model.classifier.weight
        cam = torch.einsum("kc,nchw->nkhw", w, fmap)
        return F.softmax(logits, dim=1), cam, pooled
