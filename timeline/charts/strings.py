"""The page's interface strings, one table per language (``write_html(page_lang=...)``).

Keys are the same in every table (a test checks it). ``{name}`` placeholders are
filled by the page's script; the page's own markup is written from these tables
too, so adding a language is adding a table here.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Timeline",
        "heading_range": "{title}: {first} to {last}",
        "summary_counts": "{events} events: {drawn} on the time axis, {apart} listed apart "
                          "(no date, or a year before 1000 or after 9999).",
        "summary_all_drawn": "{events} events, all on the time axis.",
        "how_to_summary": "How to read this page",
        "how_to": "The strip at the top counts events over the time they cover (a year-precise "
                  "event is spread over its year); drag across it to choose a period. Below, "
                  "the most reported events carry their headline, and every event sits in its "
                  "lane: a point for a day, a bar for a longer or uncertain date. Click or tap "
                  "an event, or press Enter on a row, to read its sources.",
        "search_label": "Search",
        "search_placeholder": "text, place, actor or source",
        "lanes_label": "Lanes by",
        "lane_source": "source",
        "lane_language": "language",
        "lane_place": "place",
        "lane_actor": "actor",
        "lane_none_source": "unknown source",
        "lane_none_language": "unknown language",
        "lane_none_place": "no place named",
        "lane_none_actor": "no actor named",
        "lane_other": "other",
        "key_events": "Key events (most reported)",
        "legend_label": "Date precision (press to show or hide)",
        "legend_point": "point: a day",
        "legend_bar": "bar: a longer or uncertain date",
        "legend_conflict": "black outline: sources disagree on the date",
        "precision_day": "day",
        "precision_week": "week",
        "precision_month": "month",
        "precision_quarter": "quarter or season",
        "precision_year": "year",
        "precision_longer": "longer",
        "range_label": "Period shown",
        "range_earlier": "← earlier",
        "range_later": "later →",
        "range_zoom_in": "zoom in",
        "range_zoom_out": "zoom out",
        "range_all": "whole period",
        "chart_label": "Timeline chart of {events} events from {first} to {last}. "
                       "The same events are listed in the table below.",
        "overview_caption": "Events over time (drag to choose a period)",
        "detail_caption": "Events in the period shown (scroll or pinch to zoom, drag to pan)",
        "list_heading": "Events in the period shown",
        "sort_label": "Order",
        "sort_date": "by date",
        "sort_evidence": "most reported first",
        "caption_rows": "{count} events from {lo} to {hi}{filtered}; rows {from}–{to}.",
        "caption_none": "No event from {lo} to {hi}{filtered}.",
        "caption_filtered": " matching the filters",
        "previous": "previous",
        "next": "next",
        "download": "Download these events (CSV)",
        "col_date": "date",
        "col_event": "event",
        "col_sources": "sources",
        "col_mentions": "mentions",
        "col_precision": "precision",
        "col_conflict": "conflict",
        "yes": "yes",
        "no": "no",
        "apart_heading": "Events not on the time axis",
        "apart_undated": "no date",
        "apart_far": "date outside the years 1000–9999",
        "apart_caption": "{count} events{filtered}; rows {from}–{to}.",
        "apart_none": "No event{filtered}.",
        "detail_close": "Close",
        "detail_date": "Date",
        "detail_interval": "interval {earliest} to {latest}",
        "detail_precision": "precision: {precision}",
        "detail_sources": "Sources",
        "detail_places": "Places",
        "detail_actors": "Actors",
        "detail_conflicts": "Conflicting dates",
        "detail_mentions": "Mentions ({count})",
        "detail_published": "published {date}",
        "detail_timex": "date words: “{timex}”",
        "detail_link": "Read the article",
        "detail_no_mentions": "No mention was kept for this event.",
        "status_error": "The chart could not be drawn: {error}",
        "tip_date": "date",
        "tip_event": "event",
        "tip_sources": "sources",
        "tip_mentions": "mentions",
        "tip_period": "from",
        "tip_events": "events",
        "tip_precision": "precision",
    },
    "id": {
        "title": "Linimasa",
        "heading_range": "{title}: {first} sampai {last}",
        "summary_counts": "{events} peristiwa: {drawn} pada sumbu waktu, {apart} dicantumkan "
                          "terpisah (tanpa tanggal, atau tahun sebelum 1000 atau sesudah 9999).",
        "summary_all_drawn": "{events} peristiwa, semuanya pada sumbu waktu.",
        "how_to_summary": "Cara membaca halaman ini",
        "how_to": "Lajur di atas menghitung peristiwa menurut waktu yang dicakupnya (peristiwa "
                  "bertingkat tahun disebar sepanjang tahunnya); seret di atasnya untuk memilih "
                  "periode. Di bawahnya, peristiwa yang paling banyak diberitakan diberi judul, "
                  "dan setiap peristiwa berada di lajurnya: titik untuk satu hari, batang untuk "
                  "tanggal yang lebih panjang atau tidak pasti. Klik atau ketuk sebuah "
                  "peristiwa, atau tekan Enter pada sebuah baris, untuk membaca sumbernya.",
        "search_label": "Cari",
        "search_placeholder": "teks, tempat, pelaku, atau sumber",
        "lanes_label": "Lajur menurut",
        "lane_source": "sumber",
        "lane_language": "bahasa",
        "lane_place": "tempat",
        "lane_actor": "pelaku",
        "lane_none_source": "sumber tidak diketahui",
        "lane_none_language": "bahasa tidak diketahui",
        "lane_none_place": "tanpa nama tempat",
        "lane_none_actor": "tanpa nama pelaku",
        "lane_other": "lainnya",
        "key_events": "Peristiwa utama (paling banyak diberitakan)",
        "legend_label": "Ketepatan tanggal (tekan untuk menampilkan atau menyembunyikan)",
        "legend_point": "titik: satu hari",
        "legend_bar": "batang: tanggal yang lebih panjang atau tidak pasti",
        "legend_conflict": "garis hitam: sumber berbeda soal tanggal",
        "precision_day": "hari",
        "precision_week": "pekan",
        "precision_month": "bulan",
        "precision_quarter": "triwulan atau musim",
        "precision_year": "tahun",
        "precision_longer": "lebih panjang",
        "range_label": "Periode yang ditampilkan",
        "range_earlier": "← sebelumnya",
        "range_later": "sesudahnya →",
        "range_zoom_in": "perbesar",
        "range_zoom_out": "perkecil",
        "range_all": "seluruh periode",
        "chart_label": "Grafik linimasa {events} peristiwa dari {first} sampai {last}. "
                       "Peristiwa yang sama tercantum dalam tabel di bawah.",
        "overview_caption": "Peristiwa dari waktu ke waktu (seret untuk memilih periode)",
        "detail_caption": "Peristiwa dalam periode yang ditampilkan (gulir atau cubit untuk "
                          "memperbesar, seret untuk menggeser)",
        "list_heading": "Peristiwa dalam periode yang ditampilkan",
        "sort_label": "Urutan",
        "sort_date": "menurut tanggal",
        "sort_evidence": "paling banyak diberitakan dulu",
        "caption_rows": "{count} peristiwa dari {lo} sampai {hi}{filtered}; baris {from}–{to}.",
        "caption_none": "Tidak ada peristiwa dari {lo} sampai {hi}{filtered}.",
        "caption_filtered": " yang cocok dengan saringan",
        "previous": "sebelumnya",
        "next": "berikutnya",
        "download": "Unduh peristiwa ini (CSV)",
        "col_date": "tanggal",
        "col_event": "peristiwa",
        "col_sources": "sumber",
        "col_mentions": "sebutan",
        "col_precision": "ketepatan",
        "col_conflict": "konflik",
        "yes": "ya",
        "no": "tidak",
        "apart_heading": "Peristiwa di luar sumbu waktu",
        "apart_undated": "tanpa tanggal",
        "apart_far": "tanggal di luar tahun 1000–9999",
        "apart_caption": "{count} peristiwa{filtered}; baris {from}–{to}.",
        "apart_none": "Tidak ada peristiwa{filtered}.",
        "detail_close": "Tutup",
        "detail_date": "Tanggal",
        "detail_interval": "rentang {earliest} sampai {latest}",
        "detail_precision": "ketepatan: {precision}",
        "detail_sources": "Sumber",
        "detail_places": "Tempat",
        "detail_actors": "Pelaku",
        "detail_conflicts": "Tanggal yang bertentangan",
        "detail_mentions": "Sebutan ({count})",
        "detail_published": "terbit {date}",
        "detail_timex": "kata waktu: “{timex}”",
        "detail_link": "Baca artikelnya",
        "detail_no_mentions": "Tidak ada sebutan yang disimpan untuk peristiwa ini.",
        "status_error": "Grafik tidak dapat digambar: {error}",
        "tip_date": "tanggal",
        "tip_event": "peristiwa",
        "tip_sources": "sumber",
        "tip_mentions": "sebutan",
        "tip_period": "mulai",
        "tip_events": "peristiwa",
        "tip_precision": "ketepatan",
    },
}

PAGE_LANGUAGES = tuple(STRINGS)


def strings(lang: str) -> dict[str, str]:
    """The table of one page language; an unknown language is an error, not English."""
    if lang not in STRINGS:
        raise ValueError(f"page language must be one of {list(STRINGS)}, got {lang!r}")
    return STRINGS[lang]


def fill(template: str, **values: object) -> str:
    """Fill ``{name}`` placeholders (as the page's script does).

    >>> fill("{count} events", count="1,234")
    '1,234 events'
    """
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template
