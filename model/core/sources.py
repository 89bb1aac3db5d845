"""Bibliography: short keys used in citations, expanded for the Sources table and sheet."""

REFERENCES: dict[str, str] = {
    "deepseek-v3": "DeepSeek-AI (2024), DeepSeek-V3 Technical Report, arXiv:2412.19437, Table 1 "
    "and section 3; github.com/deepseek-ai/DeepSeek-V3",
    "deepseek-inference": "DeepSeek (1 Mar 2025), Day 6 One More Thing: DeepSeek-V3/R1 Inference "
    "System Overview, github.com/deepseek-ai/open-infra-index (226.75 H800 nodes on average; "
    "608B input + 168B output tokens per day; $87,072/day at $2/GPU-hour; $562,027/day "
    "theoretical revenue at R1 prices)",
    "llama3": "Llama Team, AI @ Meta (2024), The Llama 3 Herd of Models, arXiv:2407.21783, "
    "Table 4 (BF16 MFU 38-43%) and section 3.3",
    "llama31-card": "meta-llama/llama-models, models/llama3_1/MODEL_CARD.md (405B: 30.84M "
    "H100-80GB GPU-hours; 15.6T tokens)",
    "meta-fleet": "Zuckerberg (Jan 2024) and Meta Engineering blog (12 Mar 2024), Building "
    "Meta's GenAI infrastructure: 350,000 H100s by end-2024, ~600,000 H100-equivalents",
    "epoch-openai-2024": "Epoch AI data insight (10 Oct 2025), Most of OpenAI's 2024 compute "
    "went to experiments: ~$7B compute, ~$5B R&D (~$0.5B final runs), ~$1.8-2B inference",
    "ai2027-compute": "AI 2027 Compute Forecast (Romeo, 2025), ai-2027.com/research/"
    "compute-forecast, section 3: leading lab's compute by use, 2024-2027",
    "ai2027-takeoff": "AI 2027 Takeoff Forecast (Kokotajlo et al., 2025), ai-2027.com/research/"
    "takeoff-forecast: AI R&D progress multipliers 5x (SC), 25x (SAR), 250x (SIAR), 2000x (ASI)",
    "epoch-costs": "Cottier, Rahman, Fattorini, Maslej, Owen (2024), The rising costs of "
    "training frontier AI models, arXiv:2405.21015, and its code (github.com/epoch-research/"
    "training-cost-trends)",
    "nvidia-datasheets": "NVIDIA A100/H100/H200/B200 data sheets (dense tensor throughput is "
    "half the 'with sparsity' figure), as tabulated by Epoch AI's hardware database",
    "epoch-hardware": "Epoch AI hardware and price tables (github.com/epoch-research/"
    "training-cost-trends, data/) (secondary)",
    "rental-prices": "Public list prices, 2023-2025: Lambda H100 $1.99-3.49/GPU-hour; AWS p5 "
    "$12.29, GCP $11.06 on demand (Mar 2025) (secondary)",
    "kaplan": "Kaplan et al. (2020), Scaling Laws for Neural Language Models, arXiv:2001.08361 "
    "(training FLOP = 6 x parameters x tokens; forward pass 2 x parameters per token)",
    "ho2024": "Ho et al. (2024), Algorithmic progress in language models, arXiv:2403.05812: "
    "compute for a given performance halves every ~8 months (95% CI 5-14)",
    "bloom2020": "Bloom, Jones, Van Reenen, Webb (2020), Are Ideas Getting Harder to Find?, "
    "AER 110(4): research productivity in semiconductors falls ~6.8%/yr",
    "davidson-ftm": "Davidson (2023) / Epoch AI takeoff model (github.com/epoch-research/ftm): "
    "CES rho = -0.01, parallelisation penalty lambda = 0.7, software returns r = 1.25",
    "aifm-2025": "AI Futures Model (Dec 2025): CES rho ~ -0.155, compute exponent ~0.65, "
    "labour weight ~0.70, parallel penalty 0.5",
    "whitfill-wu": "Whitfill & Wu (2025), arXiv:2507.23181: elasticity of substitution between "
    "cognitive labour and compute, sigma 2.58 or ~-0.10 depending on compute measure",
    "epoch-chips": "Epoch AI (2026), AI Chip Sales data (github.com/epoch-research/ai-chip-counts,"
    " csv_export/*_cumulative_totals.csv): cumulative H100-equivalents (8-bit) sold by Nvidia, "
    "Google (TPU), AMD and Amazon (Trainium); global capacity growing 3.3x a year since 2022 "
    "(90% CI 2.7-4.1x); no retirements subtracted",
    "epoch-lab-compute": "Epoch AI, AI compute by lab (github.com/epoch-research/"
    "ai-compute-users, data/lab_compute_year_end_by_lab.csv): OpenAI ~0.10M H100e at end-2023, "
    "~0.39M at end-2024, ~1.74M at end-2025; Anthropic ~0.21M (end-2024), ~1.19M (end-2025); "
    "Google DeepMind ~0.42M, ~1.58M; xAI ~0.20M, ~0.63M; Meta (Superintelligence Labs) ~0.25M, "
    "~1.00M (model estimates, medians; compute rented or used, operational at the date)",
    "meta-capex": "Meta Platforms, Q4 and full-year results (29 Jan 2025; 28 Jan 2026): capital "
    "expenditures including principal payments on finance leases $39.23B in 2024, $72.22B in "
    "2025",
    "openai-funding": "OpenAI funding rounds: $6.6B at a $157B valuation (Oct 2024); $40B "
    "SoftBank-led at $300B (announced 31 Mar 2025; $10B at close, $30B by end-2025) (Bloomberg, "
    "Reuters)",
    "openai-revenue": "OpenAI revenue as reported: ~$3.7B in 2024 (New York Times, Sep 2024; "
    "Bloomberg); ~$13B in 2025 (Bloomberg: $12.7B target; The Information; Altman: 'well more "
    "than $13 billion'; $13.1B as later reported)",
    "openai-cfo-2026": "Sarah Friar, OpenAI CFO (Jan 2026): compute capacity 0.2 GW (2023), "
    "~0.6 GW (2024), ~1.9 GW (2025); annualised revenue $2B, $6B, >$20B",
    "epoch-2030": "Sevilla et al. (Epoch AI, 20 Aug 2024), Can AI Scaling Continue Through 2030?:"
    " chip manufacturing could supply ~100M H100-equivalents by 2030 (range 20M-400M); power of "
    "1-5 GW for a campus, 2-45 GW for a distributed network",
    "openai-users": "OpenAI: ChatGPT weekly active users 100M (Altman, DevDay, 6 Nov 2023), 200M "
    "(Aug 2024), 300M (Dec 2024), 800M (DevDay, 6 Oct 2025)",
    "imf-weo-2024": "IMF World Economic Outlook (Oct 2024): world GDP at current prices ~$110 "
    "trillion in 2024",
    "itu-2024": "ITU (2024), Facts and Figures 2024: 5.5 billion people, 68% of the world's "
    "population, use the Internet",
    "microsoft-tokens": "Satya Nadella, Microsoft FY25 Q3 earnings call (30 Apr 2025): 'We "
    "processed over 100t tokens this quarter, up 5x year over year'",
    "epoch-prices": "Epoch AI data insight (12 Mar 2025), LLM inference prices have fallen "
    "rapidly but unequally across tasks: the price to reach a fixed performance falls 9x-900x a "
    "year (median 50x)",
    "a16z-llmflation": "Appenzeller (a16z, 12 Nov 2024), Welcome to LLMflation: 'For an LLM of "
    "equivalent performance, the cost is decreasing by 10x every year'",
    "nber-llm-market": "Demirer, Fradkin, Tadelis and Peng (Dec 2025), The Emerging Market for "
    "Intelligence: Pricing, Supply, and Demand for LLMs, NBER Working Paper 34608: 'short-run "
    "price elasticities just above one'; -1.11 as reported (within-model price variation across "
    "OpenRouter providers, open-weight models)",
    "rbc-rental-2025": "RBC Capital Markets data in FT Alphaville (2025): average H100 rental "
    "rates down 22% and H200 down 29% year to date, while hyperscaler list prices 'hardly "
    "budged'",
    "gpu-lead-times": "H100 server lead times: 36-52 weeks in late 2023 (Omdia, Nov 2023, via "
    "Tom's Hardware); 8-12 weeks by April 2024, from ~39 weeks late in 2023 (Dell Taiwan's "
    "Terence Liao, United Daily News, via The Register and Tom's Hardware, 12 Apr 2024)",
    "semianalysis-rental": "SemiAnalysis H100 rental price index (1-year contracts), as "
    "reported: $1.70 per GPU-hour in Oct 2025, up 40% to $2.35 by Mar 2026",
    "epoch-acu": "Epoch AI (J. You, May 2026), How much AI compute do frontier developers "
    "have? (github.com/epoch-research/ai-compute-users, docs/frontier-lab-compute-modeling-"
    "summary.md, notebooks/openai_cloud_spend.py): '$6.8B all-Hopper at $2/hr => ~388k H100e "
    "average' for OpenAI in 2024; Hopper contract priors $1.50-2.25/hr (2024), $1.20-1.80/hr "
    "(2025); inference ~50% of OpenAI's 2025 compute, ~40% of Anthropic's; cloud compute spend "
    "OpenAI $16.3B (2025), Anthropic $2.5B (2024) and $6.8B (2025), as reported by The "
    "Information; implied deployed world stock ~16M H100e at end-2025 (a quarter's lag after "
    "~20M sold); OpenAI and Anthropic rent their compute, xAI mostly owns, Google DeepMind's is "
    "an allocation of Alphabet's owned compute, Meta's cloud rentals are minimal",
    "aifm-inputs": "AI Futures Model calculator inputs (Dec 2025), as copied in github.com/"
    "Joshuaclymer/dark_compute ai-futures-calculator/input_data.csv (commit faca777): human "
    "coding staff of the leading AI company 827 (2024), 1,488 (2025); experiment compute 30k "
    "H100e (2024) (a third-party copy: medium confidence)",
    "heninger-2025": "J. Heninger (11 Sep 2025), Trends in Economic Inputs to AI (LessWrong, "
    "with Epoch's media-report data): OpenAI headcount ~1.7x a year, Anthropic ~3x a year",
    "epoch-open-models": "Cottier, You, Martemianova, Owen (Epoch AI, 4 Nov 2024), How far "
    "behind are open models?: open models match closed ones 'with a lag of about one year' "
    "(top-1 compute lag 16.3 months, 90% range 8.9-25.5); Epoch data insight (30 Oct 2025): "
    "3.5 months on the capabilities index (90% CI 1.1-5.3)",
    "davidson-houlden-2025": "Davidson & Houlden (Forethought, 2025), How quick and big would "
    "a software intelligence explosion be?: returns to software R&D r between 0.4 and 3.6 "
    "(median 1.2); initial speed-up 2-32x; 6-16 OOMs to effective limits",
    "openai-priority": "OpenAI, Priority processing for API customers (openai.com/"
    "api-priority-processing, 2025-2026): per million input / output tokens GPT-5 $2.50 / $20 "
    "(Standard $1.25 / $10, 2x), GPT-4.1 and o3 $3.50 / $14 ($2 / $8, 1.75x), GPT-4o $4.25 / $17 "
    "($2.50 / $10, 1.7x), GPT-5.5 $12.50 / $75 ($5 / $30, 2.5x)",
    "genai-prices": "API list prices per million tokens as transcribed in github.com/pydantic/"
    "genai-prices (prices/providers/*.yml, Aug 2026): GPT-4 $30 in / $60 out (Mar 2023), "
    "GPT-4-32k $60 / $120; GPT-5 $1.25 / $10 (Aug 2025); o1-pro $150 / $600 (Mar 2025, the "
    "dearest frontier API); Gemini 1.5 Flash-8B $0.0375 / $0.15, cached input $0.01 (2024, the "
    "cheapest)",
    "openai-rounds": "OpenAI funding rounds as reported (CNBC, Bloomberg, OpenAI): $6.6B at "
    "$157B (Oct 2024, ~42x 2024 revenue); $40B at $300B (Mar 2025); $122B at $852B (Mar 2026, "
    "on '$2 billion in monthly revenue', ~35x)",
    "anthropic-rounds": "Anthropic funding rounds as reported (FT, Guardian, CNBC): $3.5B at "
    "$61.5B (Mar 2025); $13B at $183B (Sep 2025); $30B at $380B on a $14B run-rate (Feb 2026, "
    "27x)",
    "multiples-scale": "Revenue multiples against revenue, fitted log-log (derived): "
    "OpenAI $157B on 2024 revenue $3.7B (42x, Oct 2024) and ~$300B on "
    "a ~$5.5B run-rate (55x, Mar 2025); Anthropic $61.5B on a ~$1B run-rate (60x, Mar 2025); "
    "mega-caps' price to trailing sales, late 2025 (companiesvaluation.com; GuruFocus, 22 Dec "
    "2025): Nvidia 28x on ~$165B, Microsoft 12.8x on ~$294B, Meta 8.5x on ~$189B, Alphabet "
    "8.7x on ~$385B, Apple 9.7x on ~$416B, Amazon 3.9x on ~$690B; slope -0.36 (s.e. 0.06). "
    "Public software's median EV/ARR 4.8x (Meritech, Jan 2026). Rounds priced on 2025-26 "
    "revenue are backtest observables and are left out of the fit",
    "anthropic-revenue": "Anthropic revenue as reported: $381M in 2024 (The Information); run-"
    "rate ~$1B in Dec 2024 (Bloomberg), ~$9B at end-2025, $14B in Feb 2026 (FT, Guardian); "
    "2025 revenue expected at $4.5B (The Information, Jan 2026)",
    "damodaran-2025": "Damodaran: implied US equity risk premium 4.33% on 1 Jan 2025 (BVWire "
    "#268-3); stable growth no higher than the risk-free rate (Damodaran on Valuation: 4.25% "
    "growth at a 4.25% risk-free rate)",
    "epoch-lab-intermediates": "Epoch AI, ai-compute-users data/lab_compute_intermediates_by_"
    "lab.csv (commit 00fc721): Meta Superintelligence Labs' rented cloud compute at end-2025, "
    "median 90.6k H100e",
    "epoch-chip-owners": "Epoch AI (15 Apr 2026), AI Chip Owners (epoch.ai/data/ai-chip-owners; "
    "github.com/epoch-research/ai-chip-counts owners_csv_export/ and data_inputs/named_other_"
    "owners_cumulative_totals.csv): hyperscalers hold 71% of world AI compute (corrected); "
    "owned at end-2025, median H100e: Google 5.05M, Meta 2.30M, xAI 553,714 ('Colossus 1+2 "
    "2025')",
    "epoch-final-runs": "Epoch AI Gradient Updates (2026), Final training runs account for a "
    "minority of R&D compute spending: OpenAI ~$0.5B of ~$5B R&D compute in 2024 ('roughly "
    "10%'); 10-30% at MiniMax and Z.ai (IPO filings)",
    "epoch-nv-prices": "Epoch AI, ai-chip-counts data_inputs/Nvidia annual prices.csv (22 Apr "
    "2026): H100 $20,000-27,000 in 2025 (geometric mean $23,238)",
    "xai-revenue": "xAI revenue as reported (Bloomberg, Jan 2026, via secondary reports): "
    "$107M in the three months to 30 Sep 2025, nearly double the quarter before; over $200M "
    "through September; the $500M target for 2025 set in June 2025 likely missed; around $100M "
    "a year in 2024 (Pakistan Today, Dec 2024)",
    "xai-rounds": "xAI financing as reported (Reuters, Bloomberg, xAI, via secondary reports): "
    "$6B Series B (May 2024), $6B Series C (Dec 2024); $5B of debt and $5B of equity (Jun "
    "2025); $20B Series E (Jan 2026, ~$230B valuation); merged with X (Mar 2025), acquired by "
    "SpaceX (Feb 2026)",
    "imf-weo-2025": "IMF World Economic Outlook, October 2025: world nominal GDP $106.94T in "
    "2023 and $117.17T in 2025, United States $30.62T in 2025 (the WEO table, via "
    "intelligentenergyshift and exaputra)",
    "ai-capex-forecasts": "Forecasts of AI and data-centre capital spending: Morgan Stanley "
    "~$2.9T over 2025-28 (over $0.9T in 2028); Goldman Sachs ~$1.1T in 2027 (bull case $1.4T); "
    "McKinsey ~$5.2T of AI data-centre capex to 2030; IEA ~$580B of data-centre investment in "
    "2025 (press summaries, 2025-26)",
    "capex-history": "Infrastructure booms as shares of US GDP: railroads ~6% at the 1880s peak "
    "(P. Kedrosky, 'Honey, AI Capex is Eating the Economy', Jul 2025, after Ulmer 1960), 2-3% "
    "in the 1870s (L. Ahamed); telecom ~1.0-1.2% in 2000; AI ~1.3% in 2025 (J. Fox, Bloomberg "
    "Opinion, Oct 2025)",
    "capex-2025-26": "Capital expenditure 2025 as reported: Amazon $131.8B, Alphabet $91.4B, "
    "Meta $72.2B, Microsoft FY2025 $88.2B; 2026 guidance: Amazon ~$200B, Alphabet $175-185B, "
    "Meta $115-135B, Microsoft none formal (analysts ~$116-145B) (10-K and earnings releases, "
    "via brianbuntz.github.io, sherwood.news, yourstory)",
    "meta-revenue": "Meta Platforms 10-K for 2025 (summary, reportify.ai): revenue $200.97B, "
    "from advertising; no API or subscription revenue line for its AI models (Llama is "
    "open-weight)",
    "menlo-2025": "Menlo Ventures, 2025 State of Generative AI in the Enterprise (Dec 2025, via "
    "chokepoints.ai): enterprise generative-AI spend ~$11.5B (2024) to ~$37B (2025); enterprise "
    "LLM API spend shares Anthropic ~40%, OpenAI ~27%, Google ~21%",
    "google-tokens": "Alphabet earnings calls (via secondary reports): tokens processed a month "
    "480 trillion (May 2025), 980 trillion (Jul 2025), 1.3 quadrillion (Oct 2025); Gemini app "
    "over 750M monthly users (Q4 2025)",
    "claude-users": "Brick & Bits (2025), Anthropic's Claude Surge: Paid Subscriptions Double "
    "(www.brickandbits.com/en/article/anthropics-claude-surge-paid-subscriptions-double-in-ai-"
    "race, on TechCrunch): Claude's total users estimated at 18-30 million; Anthropic does not "
    "publish its user numbers",
    "openai-arr-2025": "OpenAI annual recurring revenue as reported (CNBC, 9 Jun 2025, via "
    "www.techi.com/openai-10-billion-revenue-analysis-profitability-concerns/ and parsers.vc/"
    "news/250611-openai-s-meteoric-rise--a-10-billion): $10B in June 2025 (consumer, business "
    "and API; excluding Microsoft licensing), up from $5.5B at end-2024",
    "anthropic-run-rate-2026": "Anthropic's run-rate revenue past $30B, told to staff and "
    "investors on 7 Apr 2026 (ainews-intentmesh.pages.dev/stories/anthropic-passes-openai-"
    "revenue-30b.html, secondary); run-rate = the last 28 days' consumption sales x 13 plus "
    "monthly subscriptions x 12 (Reuters Breakingviews, 10 Mar 2026)",
    "epoch-gpt5-compute": "Epoch AI Gradient Updates (2025), Why GPT-5 used less training "
    "compute than GPT-4.5 (but GPT-6 probably won't), epoch.ai/gradient-updates/why-gpt5-used-"
    "less-training-compute-than-gpt45-but-gpt6-probably-wont: 'OpenAI's (projected) R&D "
    "compute spend has grown from ~$5 billion in 2024 to ~$9 billion in 2025'",
    "epoch-openai-spend-page": "Epoch AI data insight (J. You, 10 Oct 2025), epoch.ai/data-"
    "insights/openai-compute-spend: reports (The Information, The New York Times) of $3B "
    "training compute, $1.8B inference compute and $1B research compute amortised over "
    "'multiple years' in 2024; Epoch amortises research over two years, $2B incurred in 2024",
    "wu-2022": "Wu et al. (2022), Sustainable AI: Environmental Implications, Challenges and "
    "Opportunities, MLSys 2022, arXiv:2111.00364: 'At Facebook, we observe a rough power "
    "capacity breakdown of 10:20:70 for AI infrastructures devoted to the three key phases - "
    "Experimentation, Training, and Inference'",
    "patterson-2022": "Patterson et al. (2022), The Carbon Footprint of Machine Learning "
    "Training Will Plateau, Then Shrink, IEEE Computer 55(7), arXiv:2204.05149: 'Across all "
    "three years [2019-2021], about 3/5 of ML energy use is for inference and 2/5 for "
    "training. These measurements include all ML energy usage: research, development, testing, "
    "and production.'",
    "semianalysis-deepseek": "SemiAnalysis (31 Jan 2025), DeepSeek Debates (semianalysis.com/"
    "2025/01/31/deepseek-debates/), as reported by Tom's Hardware (via vuink.com): DeepSeek "
    "has ~50,000 Hopper GPUs (10,000 H800, 10,000 H100, the rest H20) across several sites for "
    "AI training, research and financial modelling (an analyst estimate, disputed)",
    "xai-grok3": "xAI's Grok 3 launch (17 Feb 2025), as reported (siyaz.com.tr/en/blog/xai-"
    "grok-3-colossus-supercomputer; egretsoft.com/news/NaW9P): Grok 3 trained on Colossus, "
    "100,000 NVIDIA H100 GPUs, later expanded to 200,000 (secondary)",
    "revenue-q1-2026": "The Information (Jun 2026, from documents OpenAI shared with its "
    "shareholders), as reported by CNA/Reuters (aeo.washinmura.jp/ai/cna-com-tw-2/en/news/2026-"
    "06-17) and faq.com.tw/en/ai-ml/2026-05-23-openai-q1-2026-revenue-57b-codex-losses-en: "
    "OpenAI 'burned through $3.7 billion in the first quarter of 2026, more than half of its "
    "$5.7 billion in revenue'; Anthropic 'generated an estimated $4.8 billion over the same "
    "three-month period' (an estimate)",
    "openai-margin-2025": "The Information (early 2026, from OpenAI's financial disclosures), as "
    "reported by Nate's Newsletter (natesnewsletter.substack.com/p/openai-raised-110b-and-the-"
    "pentagon, 3 Mar 2026): OpenAI's 'gross margins have compressed from roughly 40% in 2024 to "
    "33% in 2025 as inference costs exploded to $8.4 billion'",
    "meta-capex-2026": "Meta Platforms, Q1 2026 results (29 Apr 2026; 10-Q, pp. 32 and 45): "
    "'capital expenditures, including principal payments on finance leases, were $19.84 "
    "billion'; Q2 2026 results (29 Jul 2026, 8-K Ex. 99.1, sec.gov/Archives/edgar/data/1326801/"
    "000162828026050596/meta-06302026xexhibit991.htm): '$31.08 billion'; full-year 2026 outlook "
    "$130-145B",
    "openai-margin-q1-2026": "The Information (Jun 2026, from documents OpenAI shared with its "
    "shareholders), as reported by SquaredTech (squaredtech.co/?p=18971): OpenAI's 'gross "
    "margin did tick up, from 33 percent to 39 percent' in Q1 2026, on revenue of $5.7B, with "
    "an operating loss of $9.3B and '$73 billion in cash and securities as a cushion'",
    "anthropic-series-h": "Anthropic's Series H announcement (28 May 2026), $65B at a $965B "
    "post-money valuation, as reported (dengoweb.com/?p=988985; liveinthefuture.org/stories/"
    "anthropic-965b-valuation-revenue-curve.html): CFO Krishna Rao, 'our run-rate revenue "
    "crossed $47 billion earlier this month' (gross of what cloud partners keep)",
    "google-io-2026": "Google I/O 2026 keynote (blog.google, 19 May 2026, 'I/O 2026: Welcome "
    "to the agentic Gemini era'), as reported (megaoneai.com/launches/google-io-2026-agentic-"
    "gemini-era; gadg.ai): Google processes 'more than 3.2 quadrillion tokens a month across "
    "its surfaces, up 7x year over year', from 'roughly 480 trillion' at I/O 2025 and '9.7 "
    "trillion tokens a month' two years before (also gigazine.net, 20 May 2026); the Gemini "
    "app over 900M monthly users",
    "semianalysis-rental-2026-06": "SemiAnalysis neocloud survey, late June 2026, as reported "
    "(theinformationmachine.fyi/threads/gpu-spot-contract-pricing, 26 Jun 2026): 'one-year H100 "
    "contract prices have risen from a trough of ~$1.70/hr to ~$2.65/hr'; spot $2.42/hr, "
    "~40% below its May 2026 peak",
    "openai-api-tokens": "OpenAI's API throughput as OpenAI stated it: '6 billion tokens per "
    "minute' (Altman, DevDay keynote, 6 Oct 2025, as reported: techbytes.app/posts/sam-altman-"
    "openai-devday-interview); 'more than 15 billion tokens per minute' (OpenAI's funding "
    "announcement, 31 Mar 2026, as reported: devlery.com/en/blog/openai-122b-superapp-flywheel; "
    "vortx.ch/openai-raises-122b-at-an-852b-valuation). The API only: ChatGPT's tokens are "
    "not published",
    "capex-2024-25": "Capital expenditure 2024 as reported, and 2025 plans (Q4 2024 earnings, "
    "Feb 2025, as reported: financefundsupdate.com/?p=27099; news.online.ua, 7 Feb 2025): "
    "Microsoft, Alphabet, Amazon and Meta $246B together in 2024 (from $151B in 2023), ~$320B "
    "planned for 2025; Amazon ~$83B to ~$100B, Alphabet to $75B ('42% more than in 2024'), Meta "
    "~$40B to up to $65B, Microsoft $80B in fiscal 2025",
    "menlo-2023": "Menlo Ventures, 2023 State of Generative AI in the Enterprise (Nov 2023, as "
    "reported: uuaa.net/ainews/4ml8kamn.html): enterprises spent ~$2.5B on generative AI in "
    "2023",
    "definition": "Definition (exact constant)",
    "assumption": "Modelling assumption stated in the description; change it to test it",
}


def cite(key: str, detail: str = "") -> str:
    """A citation string: the reference key, then what exactly was taken from it."""
    if key not in REFERENCES:
        raise KeyError(f"unknown reference {key!r}")
    return f"[{key}] {detail}".strip()


def reference_keys(citation: str) -> list[str]:
    """The reference keys named in a citation string ('[a] ...; [b] ...')."""
    import re

    return re.findall(r"\[([a-z0-9-]+)\]", citation)


def cited_by(citations: dict[str, str]) -> dict[str, list[str]]:
    """Reference key -> the quantities whose citation names it (each once, in the given order).

    Pass the citations actually shown (a preset's, a scenario's) rather than the catalogue's, so
    the bibliography credits each reference with the values it supports.
    """
    users: dict[str, list[str]] = {k: [] for k in REFERENCES}
    for name, citation in citations.items():
        for key in dict.fromkeys(reference_keys(citation)):
            users.setdefault(key, []).append(name)
    return users
