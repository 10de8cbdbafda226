#!/usr/bin/env python3
"""Write small, deterministic SVG placeholder images for the demo tenants.

Every `/images/....svg` path referenced by a tenant's `tenant.yml` or by any Markdown file under
`content/` gets a matching file under `tenants/<slug>/static/images/...`. Colours and layout are seeded from the
path (SHA-256) and the motif from the words next to the reference, so re-running the script on the
same content produces identical bytes. Files for paths no longer referenced are not deleted.

Shapes: the sport or theme is guessed from the path and the text next to the reference (alt
text, tags, `sport:`), then drawn as a simple geometric motif over a gradient in the tenant's
colours. Aspect ratios: athlete portraits (`/images/atlet/`) 4:5, the logo 1:1, everything else 16:9.

Usage: python3 scripts/make-demo-images.py [tenant-slug ...]   (default: every tenant)
Only the Python standard library is used.
"""
import hashlib
import math
import os
import random
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tenants")
IMAGE_REF = re.compile(r"(?<![\w/.])/images/[A-Za-z0-9_./-]+")

# dark, primary, light, accent
PALETTES = {
    "jatim": ("#5c0a0e", "#b3141c", "#f4d6cf", "#f2a900"),
    "jabar": ("#0f3d24", "#2e7d4f", "#d8efd9", "#e0a526"),
    "dki": ("#0a2a5e", "#1565c0", "#d3e6fb", "#ff7a45"),
}
DEFAULT_PALETTE = ("#2b2b2b", "#455a64", "#eceff1", "#ffb300")

# (motif, keywords) checked in order; the first hit wins.
MOTIFS = [
    ("volley", ("voli",)),
    ("chess", ("catur",)),
    ("archery", ("panah", "busur")),
    ("swim", ("renang", "perenang", "akuatik", "kolam")),
    ("rowing", ("dayung", "kano", "rowing", "perahu", "jatiluhur", "selorejo")),
    ("badminton", ("bulu-tangkis", "bulu tangkis", "pebulu", "raket", "sirnas", "tenis meja")),
    ("football", ("sepak", "kiper", "stadion")),
    ("silat", ("silat", "pesilat")),
    ("martial", ("karate", "wushu", "sanda", "taolu", "taekwondo", "kumite", "kata ")),
    ("track", ("atletik", "lari", "sprint", "lintasan", "lompat", "gawang", "run")),
    ("building", ("kantor", "gedung", "profil/")),
    ("podium", ("porprov", "pon", "medali", "juara", "trofi", "podium", "bonus", "kontingen")),
    ("people", ("pelatih", "pelatihan", "rapat", "rakerprov", "pelantikan", "pengurus", "seleksi",
                "workshop", "evaluasi", "musyawarah", "penjaringan")),
]


def rng_for(key):
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:16], 16))


def motif_for(text, rnd):
    low = text.lower()
    for name, words in MOTIFS:
        if any(w in low for w in words):
            return name
    return rnd.choice(["podium", "track", "people"])


def n(x):
    return str(int(round(x)))


def draw_motif(motif, W, H, pal, rnd):
    """Return SVG elements for a motif centred in a W×H box."""
    dark, prim, light, acc = pal
    cx, cy = W * rnd.uniform(0.55, 0.7), H * rnd.uniform(0.45, 0.55)
    r = min(W, H) * rnd.uniform(0.28, 0.34)
    o = []
    if motif == "football":
        o.append(f'<g fill="none" stroke="{light}" stroke-opacity=".35" stroke-width="3">'
                 f'<line x1="{n(W*.32)}" y1="0" x2="{n(W*.32)}" y2="{H}"/>'
                 f'<circle cx="{n(W*.32)}" cy="{n(H/2)}" r="{n(H*.22)}"/></g>')
        pts = " ".join(f"{n(cx+r*.38*math.cos(math.radians(a)))},{n(cy+r*.38*math.sin(math.radians(a)))}"
                       for a in range(-90, 270, 72))
        o.append(f'<circle cx="{n(cx)}" cy="{n(cy)}" r="{n(r)}" fill="{light}"/>'
                 f'<polygon points="{pts}" fill="{dark}"/>'
                 f'<circle cx="{n(cx)}" cy="{n(cy)}" r="{n(r)}" fill="none" stroke="{dark}" stroke-width="4"/>')
    elif motif == "badminton":
        o.append(f'<line x1="0" y1="{n(H*.72)}" x2="{W}" y2="{n(H*.72)}" stroke="{light}" '
                 f'stroke-opacity=".5" stroke-width="4" stroke-dasharray="10 6"/>')
        s = r * .9
        o.append(f'<g transform="translate({n(cx)} {n(cy)}) rotate({rnd.randint(-35, 35)})">'
                 f'<path d="M{n(-s*.45)} {n(-s)}L{n(s*.45)} {n(-s)}L{n(s*.18)} {n(s*.35)}L{n(-s*.18)} {n(s*.35)}Z" '
                 f'fill="{light}"/><path d="M{n(-s*.2)} {n(-s)}L{n(-s*.08)} {n(s*.35)}M{n(s*.2)} {n(-s)}L{n(s*.08)} {n(s*.35)}" '
                 f'stroke="{prim}" stroke-width="3"/><circle cy="{n(s*.5)}" r="{n(s*.22)}" fill="{acc}"/></g>')
    elif motif == "track":
        o.append(f'<g fill="none" stroke="{light}" stroke-width="5" stroke-opacity=".8">')
        for i in range(5):
            rr = H * (0.55 + i * 0.16)
            o.append(f'<circle cx="{n(W*.15)}" cy="{n(H*1.25)}" r="{n(rr)}"/>')
        o.append('</g>')
        o.append(f'<circle cx="{n(cx)}" cy="{n(H*.3)}" r="{n(r*.45)}" fill="{acc}"/>')
    elif motif == "swim":
        for i in range(4):
            y = H * (0.45 + i * 0.13)
            a = H * 0.05
            d = f"M0 {n(y)}" + "".join(f" q{n(W/16)} {n(-a)} {n(W/8)} 0 t{n(W/8)} 0" for _ in range(4))
            o.append(f'<path d="{d}" fill="none" stroke="{light}" stroke-opacity="{0.9-i*0.18:.2f}" stroke-width="6"/>')
        o.append(f'<line x1="0" y1="{n(H*.3)}" x2="{W}" y2="{n(H*.3)}" stroke="{acc}" stroke-width="5" stroke-dasharray="14 10"/>')
    elif motif == "chess":
        s = r * 0.5
        x0, y0 = cx - 2 * s, cy - 2 * s
        cells = "".join(f'<rect x="{n(x0+i*s)}" y="{n(y0+j*s)}" width="{n(s)}" height="{n(s)}"/>'
                        for i in range(4) for j in range(4) if (i + j) % 2 == 0)
        o.append(f'<rect x="{n(x0)}" y="{n(y0)}" width="{n(4*s)}" height="{n(4*s)}" fill="{light}"/>'
                 f'<g fill="{prim}">{cells}</g>')
        px, py = x0 - s * 1.2, cy + s * 1.6
        o.append(f'<g fill="{acc}"><circle cx="{n(px)}" cy="{n(py-s*1.9)}" r="{n(s*.45)}"/>'
                 f'<path d="M{n(px-s*.35)} {n(py-s*1.4)}L{n(px+s*.35)} {n(py-s*1.4)}L{n(px+s*.7)} {n(py)}L{n(px-s*.7)} {n(py)}Z"/></g>')
    elif motif == "archery":
        for i, col in enumerate((light, dark, prim, acc, "#fff")):
            o.append(f'<circle cx="{n(cx)}" cy="{n(cy)}" r="{n(r*(1-i*0.19))}" fill="{col}"/>')
        o.append(f'<line x1="{n(cx-r*1.9)}" y1="{n(cy-r*.9)}" x2="{n(cx)}" y2="{n(cy)}" stroke="{dark}" stroke-width="5"/>')
    elif motif == "martial":
        o.append(f'<circle cx="{n(cx)}" cy="{n(cy)}" r="{n(r)}" fill="{acc}" fill-opacity=".85"/>')
        for i in range(3):
            dx = (i - 1) * r * 0.55
            o.append(f'<line x1="{n(cx+dx-r*.9)}" y1="{n(cy+r*1.1)}" x2="{n(cx+dx+r*.9)}" y2="{n(cy-r*1.1)}" '
                     f'stroke="{light}" stroke-width="{8-i*2}" stroke-linecap="round"/>')
        o.append(f'<rect x="{n(cx-r*1.3)}" y="{n(cy+r*.7)}" width="{n(r*2.6)}" height="{n(r*.22)}" fill="{dark}"/>')
    elif motif == "silat":
        s = r * 0.55
        for gx in (-1, 1):
            for gy in (-1, 1):
                x, y = cx + gx * s * 1.9, cy + gy * s * 1.1
                o.append(f'<g transform="translate({n(x)} {n(y)})" fill="{light}" fill-opacity=".9">'
                         f'<ellipse cx="{n(-s*.55)}" rx="{n(s*.5)}" ry="{n(s*.3)}"/><ellipse cx="{n(s*.55)}" rx="{n(s*.5)}" ry="{n(s*.3)}"/>'
                         f'<ellipse cy="{n(-s*.55)}" rx="{n(s*.3)}" ry="{n(s*.5)}"/><ellipse cy="{n(s*.55)}" rx="{n(s*.3)}" ry="{n(s*.5)}"/>'
                         f'<circle r="{n(s*.12)}" fill="{acc}"/></g>')
    elif motif == "rowing":
        for i in range(3):
            y = H * (0.66 + i * 0.1)
            o.append(f'<path d="M0 {n(y)} q{n(W/8)} {n(-H*.04)} {n(W/4)} 0 t{n(W/4)} 0 t{n(W/4)} 0 t{n(W/4)} 0" '
                     f'fill="none" stroke="{light}" stroke-opacity=".6" stroke-width="4"/>')
        o.append(f'<ellipse cx="{n(cx)}" cy="{n(H*.58)}" rx="{n(r*1.5)}" ry="{n(r*.12)}" fill="{acc}"/>'
                 f'<line x1="{n(cx-r*.6)}" y1="{n(H*.45)}" x2="{n(cx+r*.2)}" y2="{n(H*.72)}" stroke="{light}" stroke-width="5"/>'
                 f'<circle cx="{n(cx-r*.1)}" cy="{n(H*.45)}" r="{n(r*.14)}" fill="{light}"/>')
    elif motif == "volley":
        o.append(f'<g stroke="{light}" stroke-opacity=".45" stroke-width="2">' +
                 "".join(f'<line x1="{n(W*.08+i*W*.05)}" y1="{n(H*.55)}" x2="{n(W*.08+i*W*.05)}" y2="{n(H*.75)}"/>' for i in range(8)) +
                 f'<line x1="{n(W*.08)}" y1="{n(H*.55)}" x2="{n(W*.43)}" y2="{n(H*.55)}" stroke-width="5"/></g>')
        o.append(f'<circle cx="{n(cx)}" cy="{n(cy)}" r="{n(r)}" fill="{light}"/>'
                 f'<path d="M{n(cx-r)} {n(cy)}Q{n(cx)} {n(cy-r*.6)} {n(cx+r)} {n(cy)}M{n(cx)} {n(cy-r)}Q{n(cx+r*.5)} {n(cy)} {n(cx)} {n(cy+r)}" '
                 f'fill="none" stroke="{prim}" stroke-width="5"/>')
    elif motif == "building":
        bw, bh = W * 0.42, H * 0.5
        x0, y0 = cx - bw / 2, H * 0.88 - bh
        win = "".join(f'<rect x="{n(x0+bw*(.1+i*.2))}" y="{n(y0+bh*(.15+j*.28))}" width="{n(bw*.1)}" height="{n(bh*.16)}"/>'
                      for i in range(4) for j in range(3))
        o.append(f'<rect x="{n(x0)}" y="{n(y0)}" width="{n(bw)}" height="{n(bh)}" fill="{light}"/>'
                 f'<g fill="{prim}">{win}</g>'
                 f'<line x1="{n(x0+bw*.9)}" y1="{n(y0)}" x2="{n(x0+bw*.9)}" y2="{n(y0-bh*.5)}" stroke="{light}" stroke-width="3"/>'
                 f'<rect x="{n(x0+bw*.9)}" y="{n(y0-bh*.5)}" width="{n(bw*.16)}" height="{n(bh*.07)}" fill="#e5252a"/>'
                 f'<rect x="{n(x0+bw*.9)}" y="{n(y0-bh*.43)}" width="{n(bw*.16)}" height="{n(bh*.07)}" fill="#fff"/>')
    elif motif == "people":
        for i in range(5):
            x = W * (0.3 + i * 0.12) + rnd.uniform(-8, 8)
            s = r * rnd.uniform(0.32, 0.4)
            y = H * 0.9
            col = light if i % 2 == 0 else acc
            o.append(f'<circle cx="{n(x)}" cy="{n(y-s*2.6)}" r="{n(s*.55)}" fill="{col}"/>'
                     f'<path d="M{n(x-s)} {n(y)}Q{n(x-s)} {n(y-s*1.9)} {n(x)} {n(y-s*1.9)}Q{n(x+s)} {n(y-s*1.9)} {n(x+s)} {n(y)}Z" fill="{col}"/>')
    else:  # podium
        base = H * 0.88
        for dx, h, col in ((-1, .2, light), (0, .32, acc), (1, .14, light)):
            x = cx + dx * r * 0.75 - r * 0.36
            o.append(f'<rect x="{n(x)}" y="{n(base-H*h)}" width="{n(r*.72)}" height="{n(H*h)}" fill="{col}"/>')
        sx, sy, sr = cx, base - H * .32 - r * .55, r * .38
        star = " ".join(f"{n(sx+(sr if k%2==0 else sr*.42)*math.cos(math.radians(-90+k*36)))},"
                        f"{n(sy+(sr if k%2==0 else sr*.42)*math.sin(math.radians(-90+k*36)))}" for k in range(10))
        o.append(f'<polygon points="{star}" fill="{acc}"/>')
    return "".join(o)


def background(W, H, pal, rnd):
    dark, prim, light, acc = pal
    x2 = rnd.choice(["1", "0"])
    deco = "".join(
        f'<circle cx="{n(rnd.uniform(0, W))}" cy="{n(rnd.uniform(0, H))}" r="{n(rnd.uniform(.1, .35)*min(W, H))}" '
        f'fill="{rnd.choice((light, acc))}" fill-opacity="{rnd.uniform(.05, .14):.2f}"/>' for _ in range(3))
    return (f'<defs><linearGradient id="g" x1="0" y1="0" x2="{x2}" y2="1">'
            f'<stop offset="0" stop-color="{prim}"/><stop offset="1" stop-color="{dark}"/></linearGradient></defs>'
            f'<rect width="{W}" height="{H}" fill="url(#g)"/>{deco}')


def svg(W, H, body):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}">'
            f'{body}</svg>\n')


def landscape(path, text, pal):
    rnd = rng_for(path)
    W, H = 640, 360
    return svg(W, H, background(W, H, pal, rnd) + draw_motif(motif_for(path + " " + text, rnd), W, H, pal, rnd))


def portrait(path, text, pal):
    rnd = rng_for(path)
    W, H = 400, 500
    dark, prim, light, acc = pal
    skin = rnd.choice(("#f1c9a5", "#e0ac84", "#c68d65", "#a86f4c"))
    shirt = rnd.choice((light, acc, "#ffffff"))
    body = background(W, H, pal, rnd)
    # small sport emblem in the upper corner
    emblem = draw_motif(motif_for(path + " " + text, rnd), W, H, pal, rnd)
    body += f'<g transform="translate({W*.58:.0f} {H*.02:.0f}) scale(.38)" opacity=".9">{emblem}</g>'
    body += (f'<circle cx="200" cy="205" r="78" fill="{skin}"/>'
             f'<path d="M50 500Q50 330 200 320Q350 330 350 500Z" fill="{shirt}"/>'
             f'<path d="M160 322L200 372L240 322" fill="none" stroke="{prim}" stroke-width="8"/>')
    return svg(W, H, body)


def logo(path, text, pal, short):
    dark, prim, light, acc = pal
    star = " ".join(f"{n(128+(46 if k%2==0 else 19)*math.cos(math.radians(-90+k*36)))},"
                    f"{n(112+(46 if k%2==0 else 19)*math.sin(math.radians(-90+k*36)))}" for k in range(10))
    label = short.upper()[:6]
    body = (f'<circle cx="128" cy="128" r="124" fill="{prim}"/>'
            f'<circle cx="128" cy="128" r="108" fill="none" stroke="{acc}" stroke-width="8"/>'
            f'<polygon points="{star}" fill="{acc}"/>'
            f'<text x="128" y="196" font-family="Arial,Helvetica,sans-serif" font-size="34" font-weight="700" '
            f'text-anchor="middle" fill="#fff">{label}</text>')
    return svg(256, 256, body)


def front_context(text, start):
    """The reference's own line plus the next two (alt, caption) as keyword context."""
    line_start = text.rfind("\n", 0, start) + 1
    lines = text[line_start:].split("\n")[:3]
    return " ".join(lines)


def file_keywords(text):
    found = re.findall(r"^(?:sport|tags|title|name):\s*(.*)$", text, re.M)
    return " ".join(found)


def collect(tenant_dir):
    refs = {}
    files = [os.path.join(tenant_dir, "tenant.yml")]
    for base, _, names in os.walk(os.path.join(tenant_dir, "content")):
        files += [os.path.join(base, f) for f in sorted(names) if f.endswith(".md")]
    for f in sorted(files):
        if not os.path.exists(f):
            continue
        with open(f, encoding="utf-8") as fh:
            text = fh.read()
        kw = file_keywords(text)
        for m in IMAGE_REF.finditer(text):
            p = m.group(0).rstrip(".")
            ctx = front_context(text, m.start())
            refs.setdefault(p, ctx + " " + kw)
    return refs


def main(argv):
    slugs = argv or sorted(d for d in os.listdir(ROOT) if os.path.isfile(os.path.join(ROOT, d, "tenant.yml")))
    total = 0
    for slug in slugs:
        tdir = os.path.join(ROOT, slug)
        pal = PALETTES.get(slug, DEFAULT_PALETTE)
        short = slug  # logo label: the slug, e.g. JATIM
        for p, ctx in sorted(collect(tdir).items()):
            if not p.endswith(".svg"):
                print(f"warning: {slug}: {p} is not .svg, skipped", file=sys.stderr)
                continue
            if p == "/images/logo.svg":
                data = logo(p, ctx, pal, short)
            elif p.startswith("/images/atlet/"):
                data = portrait(slug + p, ctx, pal)
            else:
                data = landscape(slug + p, ctx, pal)
            out = os.path.join(tdir, "static", p.lstrip("/"))
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "w", encoding="utf-8") as fh:
                fh.write(data)
            total += 1
        print(f"{slug}: images written")
    print(f"{total} images")


if __name__ == "__main__":
    main(sys.argv[1:])
