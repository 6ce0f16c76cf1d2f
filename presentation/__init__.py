"""The present wing: words, numbers, charts and files made from engine results (no Streamlit; never calls the engine).

``i18n`` (catalogues and formats), ``labels`` (names shown for groups, targets, scenarios), ``charts`` (the
charts of each page) on ``chart_style`` (their house look) and ``figures`` (Vega-Lite specs), ``exports`` (chart
images, tables, deck, brief).
"""
