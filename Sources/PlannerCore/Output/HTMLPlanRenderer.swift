/// The plan as one self-contained HTML page (`planner solve --format html`): summary, bill of
/// materials, a cost-by-category chart, a power and rack view, and the assumptions and sources.
/// Styles and charts are inline (CSS and SVG): the page loads no network resource and no script.
public struct HTMLPlanRenderer: PlanRenderer {
    public static let identifier = "html"
    /// The catalog the plan was solved with: the rack drawing takes each server's, switch's and
    /// PDU's height in U from it (without it, servers are drawn as 2 U and switches left out).
    public var catalog: Catalog?

    public init(catalog: Catalog? = nil) {
        self.catalog = catalog
    }

    public func render(_ plan: Plan) -> String {
        var body = "<header><h1>Plan for \(HTML.escape(plan.specName))</h1>"
        body += "<p class=\"status \(plan.hasBuild ? plan.status.code : "infeasible")\">\(HTML.escape(PlanSummary.status(plan)))</p></header>\n"
        guard plan.hasBuild else {
            if !plan.diagnosis.isEmpty { body += section("Why", HTML.list(plan.diagnosis)) }
            body += warnings(plan)
            return HTML.page(title: "Plan for \(plan.specName)", body: body)
        }
        body += "<section class=\"cards\">" + cards(plan) + "</section>\n"
        if !plan.reused.isEmpty { body += section("Reuse (owned, not bought)", HTML.list(PlanSummary.reuse(plan, demandUnit: plan.performance?.demandUnit))) }
        body += section("What to buy", HTML.list(PlanSummary.buy(plan)))
        if let performance = plan.performance {
            body += section(PlanSummary.performanceHeading(performance), latencyGauges(performance) + HTML.list(Array(PlanSummary.performance(performance).suffix(1))))
        }
        let replicaLimits = PlanSummary.replicaLimits(plan)
        if !plan.bindingConstraints.isEmpty || !replicaLimits.isEmpty {
            body += section("What limits the plan", (replicaLimits.isEmpty ? "" : HTML.list(replicaLimits.map(Self.sentence)))
                + (plan.bindingConstraints.isEmpty ? "" : Self.bindingConstraints(plan.bindingConstraints)))
        }
        body += warnings(plan)
        body += section("Bill of materials", bomTable(plan))
        body += section("Cost by category", costChart(plan))
        body += section("Power and racks", powerView(plan))
        body += section("Assumptions and sources", assumptions(plan))
        return HTML.page(title: "Plan for \(plan.specName)", body: body)
    }

    /// `each …` as a sentence: `Each ….`
    private static func sentence(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst() + "."
    }

    /// Each binding constraint in words, its id after it (the LP file's name) for reference.
    static func bindingConstraints(_ constraints: [BindingConstraint]) -> String {
        "<ul class=\"binding\">" + constraints.map { constraint in
            let meaning = constraint.family.meaning.prefix(1).uppercased() + constraint.family.meaning.dropFirst() + ". "
            return "<li>\(HTML.escape(meaning))<code class=\"constraint\">\(HTML.escape(constraint.name))</code></li>"
        }.joined() + "</ul>\n"
    }

    private func section(_ title: String, _ content: String) -> String {
        "<section><h2>\(HTML.escape(title))</h2>\n\(content)</section>\n"
    }

    private func warnings(_ plan: Plan) -> String {
        plan.warnings.isEmpty ? "" : "<section class=\"warnings\"><h2>Warnings</h2>\n\(HTML.list(plan.warnings))</section>\n"
    }

    private func cards(_ plan: Plan) -> String {
        var items: [(String, String)] = [("Capex", Format.usd(plan.totals.capexUSD))]
        if let tco = plan.totals.tcoUSD { items.append(("TCO", Format.usd(tco))) }
        items += [
            ("GPUs", Format.integer(plan.totals.gpus)), ("Servers", Format.integer(plan.totals.servers)),
            ("Racks", "\(plan.totals.racks) (\(plan.totals.rackUnits) U)"), ("Peak power", Format.watts(plan.totals.peakPowerWatts)),
        ]
        if let performance = plan.performance { items.append(("Spare capacity", Format.fixed(performance.headroom * 100, 0) + "%")) }
        return items.map { "<div class=\"card\"><div class=\"label\">\(HTML.escape($0.0))</div><div class=\"value\">\(HTML.escape($0.1))</div></div>" }.joined()
    }

    /// Predicted latency as a bar against its target (the bar's full width is the target).
    private func latencyGauges(_ performance: PredictedPerformance) -> String {
        let rows: [(String, Double, Double?, Int)] = [("TTFT", performance.ttftMs, performance.ttftTargetMs, 1), ("TPOT", performance.tpotMs, performance.tpotTargetMs, 2)]
        return "<table class=\"gauges\">" + rows.map { name, value, target, decimals in
            let text = "\(Format.fixed(value, decimals)) ms" + (target.map { " of \(Format.fixed($0, 0)) ms" } ?? "")
            let fraction = target.map { $0 > 0 ? min(value / $0, 1) : 1 } ?? 0
            let over = target.map { value > $0 } ?? false
            let bar = target == nil ? "" : "<div class=\"gauge\"><div class=\"fill\(over ? " over" : "")\" style=\"width:\(Format.fixed(fraction * 100, 1))%\"></div></div>"
            return "<tr><th>\(name)</th><td>\(bar)</td><td class=\"num\">\(HTML.escape(text))</td></tr>"
        }.joined() + "</table>\n"
    }

    private func bomTable(_ plan: Plan) -> String {
        var out = "<table class=\"bom\"><thead><tr><th>Category</th><th>ID</th><th>Name</th><th>Part number</th><th class=\"num\">Qty</th><th class=\"num\">Unit USD</th><th class=\"num\">Total USD</th><th class=\"num\">Unit W</th><th>Basis</th></tr></thead><tbody>\n"
        for line in plan.bom {
            out += "<tr class=\"bom-row\"><td>\(line.category.rawValue)</td><td><code>\(HTML.escape(line.listing.id))</code></td><td>\(HTML.escape(line.listing.name))</td><td>\(HTML.escape(line.listing.partNumber ?? "—"))</td>"
            out += "<td class=\"num\">\(Format.integer(line.quantity))</td><td class=\"num\">\(Format.usd(line.unitPriceUSD))</td><td class=\"num\">\(Format.usd(line.extendedPriceUSD))</td>"
            out += "<td class=\"num\">\(Format.fixed(line.unitPowerWatts, 0))</td><td class=\"basis \(line.listing.priceBasis.rawValue)\">\(line.listing.priceBasis.rawValue)</td></tr>\n"
        }
        out += "</tbody><tfoot><tr><th colspan=\"6\">Total</th><th class=\"num\">\(Format.usd(plan.totals.capexUSD))</th><th colspan=\"2\"></th></tr></tfoot></table>\n"
        return out
    }

    /// Horizontal bars, one per BOM category, as inline SVG.
    private func costChart(_ plan: Plan) -> String {
        let rows = PlanSummary.costByCategory(plan)
        let maximum = rows.map(\.usd).max() ?? 1
        let rowHeight = 28.0, labelWidth = 90.0, barWidth = 560.0, width = 820.0
        let height = Double(rows.count) * rowHeight + 10
        var svg = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Capex by category\">"
        for (i, row) in rows.enumerated() {
            let y = 5 + Double(i) * rowHeight
            let w = maximum > 0 ? max(row.usd / maximum * barWidth, 1) : 1
            let share = plan.totals.capexUSD > 0 ? row.usd / plan.totals.capexUSD * 100 : 0
            svg += "<text x=\"\(Int(labelWidth - 8))\" y=\"\(Format.fixed(y + 18, 1))\" text-anchor=\"end\">\(row.category.rawValue)</text>"
            svg += "<rect class=\"bar \(row.category.rawValue)\" x=\"\(Int(labelWidth))\" y=\"\(Format.fixed(y + 4, 1))\" width=\"\(Format.fixed(w, 1))\" height=\"\(Int(rowHeight - 8))\" rx=\"3\"/>"
            svg += "<text x=\"\(Format.fixed(labelWidth + w + 8, 1))\" y=\"\(Format.fixed(y + 18, 1))\">\(Format.usd(row.usd)) (\(Format.fixed(share, 0))%)</text>"
        }
        return svg + "</svg>\n"
    }

    /// Each server configuration's peak against what its PSUs deliver with redundancy, and the racks
    /// drawn with their servers stacked.
    private func powerView(_ plan: Plan) -> String {
        var out = "<table class=\"power\"><thead><tr><th>Server</th><th class=\"num\">Count</th><th>Peak vs usable PSU capacity</th><th class=\"num\">Peak</th><th class=\"num\">Usable</th></tr></thead><tbody>"
        for server in plan.servers {
            let fraction = server.usablePSUWatts > 0 ? min(server.peakPowerWatts / server.usablePSUWatts, 1) : 1
            out += "<tr><td><code>\(HTML.escape(server.serverID))</code></td><td class=\"num\">\(server.count)</td>"
            out += "<td><div class=\"gauge\"><div class=\"fill\(server.peakPowerWatts > server.usablePSUWatts ? " over" : "")\" style=\"width:\(Format.fixed(fraction * 100, 1))%\"></div></div></td>"
            out += "<td class=\"num\">\(Format.watts(server.peakPowerWatts))</td><td class=\"num\">\(Format.watts(server.usablePSUWatts))</td></tr>"
        }
        out += "</tbody></table>\n"
        out += "<p>Whole plan: peak \(Format.watts(plan.totals.peakPowerWatts)) at the wall, average \(Format.watts(plan.totals.averagePowerWatts)); \(plan.totals.rackUnits) U in \(plan.totals.racks) rack\(plan.totals.racks == 1 ? "" : "s").</p>\n"
        out += rackDiagram(plan)
        return out
    }

    /// One rack unit in the drawing, px.
    static let unitHeight = 9.0

    /// Racks side by side, drawn to scale (one U is ``unitHeight`` px, a U scale on each rack):
    /// servers spread evenly across the racks from the bottom up, each as tall as its chassis;
    /// switches and rack-mounted PDUs at the top, spread the same way.
    func rackDiagram(_ plan: Plan) -> String {
        let racks = max(plan.totals.racks, 1)
        let rackLine = plan.bom.first { $0.category == .rack }
        let rackUnits = rackLine.flatMap { catalog?.rack($0.listing.id)?.rackUnits } ?? 42
        struct Unit { var id: String; var units: Int; var kind: String }
        var servers: [Unit] = []
        for server in plan.servers {
            servers += Array(repeating: Unit(id: server.serverID, units: catalog?.server(server.serverID)?.rackUnits ?? 2, kind: "server"), count: server.count)
        }
        var topOfRack: [Unit] = []
        for line in plan.bom where line.category == .network || line.category == .power {
            if let sw = catalog?.networkSwitch(line.listing.id), sw.rackUnits > 0 {
                topOfRack += Array(repeating: Unit(id: sw.id, units: sw.rackUnits, kind: "switch"), count: line.quantity)
            } else if let pdu = catalog?.pdu(line.listing.id), pdu.rackUnits > 0 {
                topOfRack += Array(repeating: Unit(id: pdu.id, units: pdu.rackUnits, kind: "pdu"), count: line.quantity)
            }
        }
        let perRack = (servers.count + racks - 1) / racks, topPerRack = (topOfRack.count + racks - 1) / racks
        let shown = min(racks, 8)
        let u = Self.unitHeight, rackWidth = 200.0, gap = 40.0, scale = 26.0, head = 28.0
        let height = head + Double(rackUnits) * u + 12
        let width = Double(shown) * (rackWidth + gap + scale) + gap
        var svg = "<svg class=\"racks\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Rack layout, to scale\">"
        func f(_ v: Double) -> String { Format.fixed(v, 1) }
        for r in 0..<shown {
            let x = gap + scale + Double(r) * (rackWidth + gap + scale)
            let bottom = head + Double(rackUnits) * u
            svg += "<rect class=\"rack\" x=\"\(f(x))\" y=\"\(f(head))\" width=\"\(f(rackWidth))\" height=\"\(f(Double(rackUnits) * u))\"/>"
            let inRack = Array(servers.dropFirst(r * perRack).prefix(perRack)), top = Array(topOfRack.dropFirst(r * topPerRack).prefix(topPerRack))
            let used = (inRack + top).reduce(0) { $0 + $1.units }
            svg += "<text x=\"\(f(x + rackWidth / 2))\" y=\"16\" text-anchor=\"middle\">rack \(r + 1): \(used) U of \(rackUnits) U</text>"
            // The U scale: a tick every U, numbered every 5 from the bottom (U1).
            for unit in 1...rackUnits {
                let y = bottom - Double(unit) * u
                svg += "<line class=\"tick\" x1=\"\(f(x - (unit % 5 == 0 ? 8 : 4)))\" y1=\"\(f(y))\" x2=\"\(f(x))\" y2=\"\(f(y))\"/>"
                if unit % 5 == 0 || unit == 1 {
                    svg += "<text class=\"scale\" x=\"\(f(x - 10))\" y=\"\(f(y + u - 1))\" text-anchor=\"end\">\(unit)</text>"
                }
            }
            func block(_ item: Unit, from startUnit: Int) -> String {
                let y = bottom - Double(startUnit + item.units) * u
                let h = Double(item.units) * u
                var out = "<rect class=\"\(item.kind)\" x=\"\(f(x + 6))\" y=\"\(f(y + 0.5))\" width=\"\(f(rackWidth - 12))\" height=\"\(f(h - 1))\" rx=\"1.5\"><title>\(HTML.escape(item.id)) (\(item.units) U)</title></rect>"
                if h >= 9 {
                    out += "<text class=\"small\" x=\"\(f(x + rackWidth / 2))\" y=\"\(f(y + h / 2 + 3.5))\" text-anchor=\"middle\">\(HTML.escape(String(item.id.prefix(28)))) · \(item.units)U</text>"
                }
                return out
            }
            var next = 0
            for item in inRack where next + item.units <= rackUnits {
                svg += block(item, from: next)
                next += item.units
            }
            var fromTop = rackUnits
            for item in top where fromTop - item.units >= next {
                fromTop -= item.units
                svg += block(item, from: fromTop)
            }
        }
        svg += "</svg>\n"
        return svg + (racks > shown ? "<p>… and \(racks - shown) more racks laid out the same way.</p>\n" : "")
    }

    private func assumptions(_ plan: Plan) -> String {
        var items = [
            "Objective: minimise \(plan.objective.metric == .tcoUSD ? "total cost of ownership" : "capital expenditure") (\(Format.usd(plan.objective.value))).",
            "Peak wall power counts GPUs at TDP, the chassis base draw, DIMMs, SSDs and NICs, divided by the least efficient PSU's efficiency; PSUs, cooling and PDUs are sized from it.",
            "Average power (for TCO) counts GPUs between prefill and decode draw and the rest of the server at half its peak.",
            "Latency figures come from the performance model (docs/performance-model.md) at the rated load, not from a benchmark.",
        ]
        if let performance = plan.performance {
            items.insert("Sized for a demand of \(Format.fixed(performance.demand, 1)) \(performance.demandUnit.loadWords)\(performance.growthHeadroom > 0 ? " (" + PlanSummary.growthText(performance).dropLast(2) + ")" : ""), latency targets at \(Format.percentileLabel(performance.percentile)).", at: 1)
        }
        var out = HTML.list(items)
        out += "<table class=\"sources\"><thead><tr><th>ID</th><th>Basis</th><th>As of</th><th>Source</th><th>Price note</th></tr></thead><tbody>"
        for line in plan.bom {
            out += "<tr><td><code>\(HTML.escape(line.listing.id))</code></td><td>\(line.listing.priceBasis.rawValue)</td><td>\(HTML.escape(line.listing.asOf))</td><td>\(HTML.linked(line.listing.source))</td><td>\(HTML.linked(line.listing.priceNote ?? ""))</td></tr>"
        }
        return out + "</tbody></table>\n"
    }
}

/// HTML helpers: escaping and the page shell with its inline style sheet.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Escaped text with each `http://` or `https://` address as a link of class `url`: an
    /// address is not a word, so the style sheet lets it break anywhere, while words break only
    /// between words.
    static func linked(_ text: String) -> String {
        var out = ""
        var rest = text[...]
        while let begin = [rest.range(of: "http://"), rest.range(of: "https://")].compactMap({ $0?.lowerBound }).min() {
            out += escape(String(rest[..<begin]))
            var end = rest[begin...].firstIndex { $0.isWhitespace } ?? rest.endIndex
            // Trailing punctuation belongs to the sentence, not the address.
            while end > begin, let last = rest[..<end].last, ".,;:)]".contains(last) { end = rest.index(before: end) }
            let address = escape(String(rest[begin..<end]))
            out += "<a class=\"url\" href=\"\(address)\">\(address)</a>"
            rest = rest[end...]
        }
        return out + escape(String(rest))
    }

    static func list(_ items: [String]) -> String {
        "<ul>" + items.map { "<li>\(escape($0))</li>" }.joined() + "</ul>\n"
    }

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="planner \(PlannerVersion.current)">
        <title>\(escape(title))</title>
        <style>
        \(styleSheet)
        </style>
        </head>
        <body>
        <main>
        \(body)<footer>Generated by planner \(escape(PlannerVersion.current)). Prices marked <em>estimate</em> need quotes.</footer>
        </main>
        </body>
        </html>

        """
    }

    static let styleSheet = """
        :root { --fg:#1d2330; --muted:#5b6475; --line:#d9dde5; --accent:#2f6fde; --ok:#1f8a4c; --warn:#b7791f; --bad:#c53030; --bg:#f6f7f9; }
        * { box-sizing: border-box; }
        body { margin:0; background:var(--bg); color:var(--fg); font:15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width:1180px; margin:0 auto; padding:24px 32px 48px; }
        header h1 { margin:0 0 4px; font-size:26px; }
        h2 { font-size:18px; margin:0 0 10px; }
        section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px 20px; margin:16px 0; }
        .status { margin:0; font-weight:600; }
        .status.optimal { color:var(--ok); } .status.feasible, .status.time_limit { color:var(--warn); } .status.infeasible { color:var(--bad); }
        .cards { display:flex; flex-wrap:wrap; gap:12px; background:none; border:none; padding:0; }
        .card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 16px; min-width:140px; }
        .card .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
        .card .value { font-size:22px; font-weight:600; }
        table { border-collapse:collapse; width:100%; }
        th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
        thead th { font-size:12px; color:var(--muted); text-transform:uppercase; letter-spacing:.03em; }
        .num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
        tfoot th { border-bottom:none; }
        code { font:13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        .basis.estimate { color:var(--warn); }
        .warnings { border-color:#f0d9a8; background:#fffaf0; }
        .gauges { width:auto; } .gauges th { width:60px; } .gauges td:nth-child(2) { width:420px; }
        .gauge { background:#e8ebf0; border-radius:4px; height:14px; width:100%; min-width:200px; overflow:hidden; }
        .gauge .fill { background:var(--ok); height:100%; }
        .gauge .fill.over { background:var(--bad); }
        svg.chart text, svg.racks text { font:13px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill:var(--fg); }
        svg.racks text.small { font-size:11px; fill:#fff; }
        .bar { fill:var(--accent); } .bar.gpu { fill:#2f6fde; } .bar.server { fill:#5a8dee; } .bar.memory { fill:#7aa5f0; } .bar.storage { fill:#8f7ee7; }
        .bar.network { fill:#3fa7a0; } .bar.power { fill:#e0a030; } .bar.cooling { fill:#4fb0d8; } .bar.rack { fill:#8a94a6; }
        .rack { fill:#f0f2f5; stroke:#8a94a6; stroke-width:2; } .server { fill:#2f6fde; } .switch { fill:#3fa7a0; } .pdu { fill:#e0a030; }
        .tick { stroke:#8a94a6; stroke-width:1; } svg.racks text.scale { font-size:9px; fill:var(--muted); }
        td, th { overflow-wrap:normal; word-break:normal; hyphens:manual; }
        section { overflow-x:auto; }
        .sources td { font-size:13px; } .sources td:nth-child(-n+3) { white-space:nowrap; }
        .binding code.constraint { color:var(--muted); font-size:12px; } a.url { overflow-wrap:anywhere; color:var(--accent); } td code { white-space:nowrap; }
        .chart-frame svg { max-width:100%; height:auto; }
        footer { color:var(--muted); font-size:12px; margin-top:24px; }
        """
}
